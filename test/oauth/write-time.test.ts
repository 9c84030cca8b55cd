import { execFileSync } from 'node:child_process';
import { chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowError } from '../../src/core/errors.js';
import { LOCK_PATIENCE_MS, lockSeen, OutputBusyError, withOutputLock } from '../../src/oauth/output-lock.js';
import { snapshot, type FileSnapshot } from '../../src/oauth/snapshot.js';
import { createNew, replaceIfUnchanged, updateAtWriteTime } from '../../src/oauth/write-time.js';

/**
 * The write-time checks that keep what the user had (SPEC "Outputs"), loaded in this process so
 * mutation testing sees them: the CLI tests cover the same paths but run dist/, never a mutant.
 */

const fsSwitch = vi.hoisted(() => ({
  noHardLinks: false,
  /** What link(2) answers instead of linking (EPERM: vfat, exFAT, some network mounts), if anything. */
  linkFails: undefined as string | undefined,
  links: 0,
  /** Runs just before a rename: another run acting in that instant. */
  beforeRename: undefined as (() => void) | undefined,
  /** Runs once when opening a file fails with EEXIST: the run holding it finishing in that instant. */
  afterExists: undefined as ((path: string) => void) | undefined,
  /** A file whose writes fail once it is opened: the disk filled up just after it was created. */
  fullAt: undefined as string | undefined,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const link: typeof real.link = async (existing, path) => {
    fsSwitch.links++;
    const failure = fsSwitch.noHardLinks ? 'EPERM' : fsSwitch.linkFails;
    if (failure !== undefined) throw Object.assign(new Error(`${failure}: link '${String(existing)}' -> '${String(path)}'`), { code: failure });
    return real.link(existing, path);
  };
  const rename: typeof real.rename = async (from, to) => {
    const hook = fsSwitch.beforeRename;
    fsSwitch.beforeRename = undefined;
    hook?.();
    return real.rename(from, to);
  };
  const open: typeof real.open = async (path, ...rest) => {
    try {
      const handle = await real.open(path, ...rest);
      if (String(path) === fsSwitch.fullAt) {
        handle.writeFile = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      }
      return handle;
    } catch (error) {
      const hook = fsSwitch.afterExists;
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && hook) {
        fsSwitch.afterExists = undefined;
        hook(String(path));
      }
      throw error;
    }
  };
  return { ...real, default: { ...real, link, rename, open }, link, rename, open };
});

/** Open file descriptors of this process: a leak grows it by one per call. */
const openFds = (): number => readdirSync('/proc/self/fd').length;

/** Above Linux's largest pid, so no process has it: the run that wrote it is gone. */
const GONE = 999_999_999;
const isRoot = process.geteuid?.() === 0;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gmail-token-wt-'));
  fsSwitch.noHardLinks = false;
  fsSwitch.links = 0;
});
afterEach(() => {
  fsSwitch.noHardLinks = false;
  fsSwitch.linkFails = undefined;
  fsSwitch.beforeRename = undefined;
  fsSwitch.afterExists = undefined;
  fsSwitch.fullAt = undefined;
  fsSwitch.links = 0;
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Every name in the folder: nothing temporary (.tmp, .stale, a lock) may be left behind. */
const names = (): string[] => readdirSync(dir).sort();
const lockOf = (name: string): string => join(dir, `.${name}.gmail-token.lock`);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Waits a short while for the lock beside `path`, gives up busy, and never runs the work. */
async function busyWithoutWorking(path: string): Promise<OutputBusyError> {
  let called = false;
  const error = await rejection(
    withOutputLock(
      path,
      async () => {
        called = true;
      },
      30,
    ),
  );
  expect(error).toBeInstanceOf(OutputBusyError);
  expect(called).toBe(false);
  return error as OutputBusyError;
}

describe('createNew', () => {
  for (const noHardLinks of [false, true]) {
    describe(noHardLinks ? 'without hard links (exclusive create)' : 'with hard links', () => {
      beforeEach(() => {
        fsSwitch.noHardLinks = noHardLinks;
      });

      it('creates the file 0600 with exactly the bytes, leaving nothing temporary', async () => {
        const path = join(dir, 'token.json');
        await createNew(path, '{"refresh_token":"r"}\n');
        expect(readFileSync(path, 'utf8')).toBe('{"refresh_token":"r"}\n');
        expect(statSync(path).mode & 0o777).toBe(0o600);
        expect(statSync(path).nlink).toBe(1);
        expect(names()).toEqual(['token.json']);
      });

      it('refuses a file that appeared, keeps it byte for byte, and says so', async () => {
        const path = join(dir, 'token.json');
        writeFileSync(path, 'theirs\n', { mode: 0o644 });
        const error = await rejection(createNew(path, 'ours\n'));
        expect(error).toBeInstanceOf(FlowError);
        expect(error.message).toBe(`${path} appeared while consent was given (another gmail-token run?) and was kept as it is.`);
        expect(readFileSync(path, 'utf8')).toBe('theirs\n');
        expect(statSync(path).mode & 0o777).toBe(0o644);
        expect(names()).toEqual(['token.json']);
      });

      it('refuses a dangling symbolic link that appeared, never writing through it', async () => {
        const path = join(dir, 'token.json');
        symlinkSync(join(dir, 'elsewhere'), path);
        const error = await rejection(createNew(path, 'ours\n'));
        expect(error.message).toBe(`${path} appeared while consent was given (another gmail-token run?) and was kept as it is.`);
        expect(lstatSync(path).isSymbolicLink()).toBe(true);
        expect(names()).toEqual(['token.json']);
      });
    });
  }

});

describe('createNew on odd file systems', () => {
  it('publishes the complete file with one hard link where there are hard links', async () => {
    await createNew(join(dir, 'token.json'), 'ours\n');
    expect(fsSwitch.links).toBe(1);
  });

  for (const failure of ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']) {
    it(`falls back to an exclusive create where link(2) answers ${failure}`, async () => {
      fsSwitch.linkFails = failure;
      const path = join(dir, 'token.json');
      const before = openFds();
      for (let i = 0; i < 20; i++) {
        rmSync(path, { force: true });
        await createNew(path, 'ours\n');
      }
      expect(openFds() - before).toBeLessThan(10);
      expect(readFileSync(path, 'utf8')).toBe('ours\n');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(names()).toEqual(['token.json']);
    });
  }

  it('a disk that fills up during the exclusive create leaves no partial file, and says so', async () => {
    fsSwitch.noHardLinks = true;
    const path = join(dir, 'token.json');
    fsSwitch.fullAt = path;
    const error = await rejection(createNew(path, 'ours\n'));
    expect(error.message).toBe(`Could not write ${path} (ENOSPC: the disk is full); nothing was changed. Free some space or choose another --out, then run again.`);
    expect(names()).toEqual([]);
  });

  it('any other link(2) failure is a failed write: nothing is created, and it says why', async () => {
    fsSwitch.linkFails = 'EIO';
    const path = join(dir, 'token.json');
    const error = await rejection(createNew(path, 'ours\n'));
    expect(error.message).toBe(`Could not write ${path} (EIO); nothing was changed. Choose another --out, then run again.`);
    expect(names()).toEqual([]);
  });
});

describe('replaceIfUnchanged', () => {
  it('a file that appears in the instant before the link is kept', async () => {
    fsSwitch.linkFails = 'EEXIST';
    expect(await replaceIfUnchanged(join(dir, '.env'), 'ours\n', undefined)).toBe(false);
    expect(names()).toEqual([]);
  });

  it('any other link(2) failure is a failed write that says why', async () => {
    fsSwitch.linkFails = 'EIO';
    const path = join(dir, '.env');
    const error = await rejection(replaceIfUnchanged(path, 'ours\n', undefined));
    expect(error).toBeInstanceOf(FlowError);
    expect(error.message).toBe(`Could not write ${path} (EIO); nothing was changed. Choose another --out, then run again.`);
    expect(names()).toEqual([]);
  });

  it('a run that is not root gives no file away (it could not), so the file becomes its own', async () => {
    vi.spyOn(process, 'geteuid').mockReturnValue(1000);
    const path = join(dir, '.env');
    writeFileSync(path, 'A=1\n');
    chownSync(path, 1234, 2345);
    expect(await replaceIfUnchanged(path, 'B=2\n', await snapshot(path))).toBe(true);
    expect(statSync(path)).toMatchObject({ uid: process.getuid?.(), gid: process.getgid?.() });
  });

  it('replaces the file when it is still the one read, 0600, nothing temporary left', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'A=1\n', { mode: 0o600 });
    const read = await snapshot(path);
    expect(await replaceIfUnchanged(path, 'A=1\nB=2\n', read)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('A=1\nB=2\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(names()).toEqual(['.env']);
  });

  it('leaves a file whose bytes changed since it was read', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'A=1\n');
    const read = await snapshot(path);
    writeFileSync(path, 'A=2\n');
    expect(await replaceIfUnchanged(path, 'ours\n', read)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('A=2\n');
    expect(names()).toEqual(['.env']);
  });

  it('leaves a file replaced by another with the same bytes (another inode)', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'A=1\n');
    const read = await snapshot(path);
    writeFileSync(join(dir, 'other'), 'A=1\n');
    execFileSync('mv', [join(dir, 'other'), path]);
    const now = statSync(path).ino;
    expect(now).not.toBe(read?.ino);
    expect(await replaceIfUnchanged(path, 'ours\n', read)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('A=1\n');
    expect(statSync(path).ino).toBe(now);
  });

  it('leaves a file that appeared where none was', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'theirs\n');
    expect(await replaceIfUnchanged(path, 'ours\n', undefined)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('theirs\n');
    expect(names()).toEqual(['.env']);
  });

  it('does not recreate a file removed since it was read', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'A=1\n');
    const read = await snapshot(path);
    rmSync(path);
    expect(await replaceIfUnchanged(path, 'ours\n', read)).toBe(false);
    expect(names()).toEqual([]);
  });

  for (const noHardLinks of [false, true]) {
    it(`publishes a new file where none was and none appeared${noHardLinks ? ' (no hard links)' : ''}`, async () => {
      fsSwitch.noHardLinks = noHardLinks;
      const path = join(dir, '.env');
      expect(await replaceIfUnchanged(path, 'ours\n', undefined)).toBe(true);
      expect(readFileSync(path, 'utf8')).toBe('ours\n');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(names()).toEqual(['.env']);
    });
  }

  it('a FIFO that appeared is refused with what it is, not as a failed write', async () => {
    const path = join(dir, '.env');
    execFileSync('mkfifo', [path]);
    const error = await rejection(replaceIfUnchanged(path, 'ours\n', undefined));
    expect(error.message).toBe(`${path} is no longer a regular file (a FIFO, a device or a folder appeared there), so it was left as it is.`);
    expect(lstatSync(path).isFIFO()).toBe(true);
    expect(names()).toEqual(['.env']);
  });

  it('a folder gone since the read: says so, and nothing changed', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'A=1\n');
    const read = await snapshot(path);
    const error = await rejection(replaceIfUnchanged(join(dir, 'gone', '.env'), 'ours\n', read));
    expect(error.message).toBe(`Could not write ${join(dir, 'gone', '.env')} (ENOENT: the folder is gone); nothing was changed. Choose another --out, then run again.`);
    expect(readFileSync(path, 'utf8')).toBe('A=1\n');
  });

  describe.skipIf(!isRoot)('run as root (sudo)', () => {
    for (const [uid, gid] of [
      [1234, 2345],
      [0, 2345],
      [1234, 0],
    ] as const) {
      it(`the replaced file keeps its owner and group (${uid}:${gid})`, async () => {
        const path = join(dir, '.env');
        writeFileSync(path, 'A=1\n');
        chownSync(path, uid, gid);
        expect(await replaceIfUnchanged(path, 'B=2\n', await snapshot(path))).toBe(true);
        expect(statSync(path)).toMatchObject({ uid, gid });
      });
    }
  });
});

describe('updateAtWriteTime', () => {
  it('gives the update the bytes and the file as they are now, and writes what it returns', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'A=1\n');
    const before = statSync(path);
    const seen: Array<[string | undefined, FileSnapshot | undefined]> = [];
    const written = await updateAtWriteTime(path, (current, file) => {
      seen.push([current?.toString('utf8'), file]);
      expect(readFileSync(lockOf('.env'), 'utf8')).toBe(`${process.pid}\n`);
      return `${current?.toString('utf8') ?? ''}B=2\n`;
    });
    expect(written).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toBe('A=1\n');
    expect(seen[0]?.[1]).toMatchObject({ dev: before.dev, ino: before.ino, mtimeMs: before.mtimeMs });
    expect(seen[0]?.[1]?.bytes.toString('utf8')).toBe('A=1\n');
    expect(readFileSync(path, 'utf8')).toBe('A=1\nB=2\n');
    expect(names()).toEqual(['.env']);
  });

  it('gives nothing when no file is there, and creates it', async () => {
    const path = join(dir, '.env');
    const seen: unknown[] = [];
    expect(
      await updateAtWriteTime(path, (current, file) => {
        seen.push(current, file);
        return 'B=2\n';
      }),
    ).toBe(true);
    expect(seen).toEqual([undefined, undefined]);
    expect(readFileSync(path, 'utf8')).toBe('B=2\n');
    expect(names()).toEqual(['.env']);
  });

  it('leaves the file as it is when the update returns nothing', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'A=1\n');
    const before = statSync(path);
    expect(await updateAtWriteTime(path, () => undefined)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('A=1\n');
    expect(statSync(path).ino).toBe(before.ino);
    expect(names()).toEqual(['.env']);
  });

  it('does the update again on a file that changed meanwhile', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'A=1\n');
    const seen: string[] = [];
    const written = await updateAtWriteTime(path, (current) => {
      seen.push(current?.toString('utf8') ?? '');
      if (seen.length === 1) writeFileSync(path, 'A=1\nC=3\n');
      return `${current?.toString('utf8') ?? ''}B=2\n`;
    });
    expect(written).toBe(true);
    expect(seen).toEqual(['A=1\n', 'A=1\nC=3\n']);
    expect(readFileSync(path, 'utf8')).toBe('A=1\nC=3\nB=2\n');
    expect(names()).toEqual(['.env']);
  });

  it('gives up after three tries on a file that keeps changing, leaving the last change', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'A=0\n');
    let calls = 0;
    const error = await rejection(
      updateAtWriteTime(path, () => {
        calls++;
        writeFileSync(path, `A=${calls}\n`);
        return 'ours\n';
      }),
    );
    expect(error).toBeInstanceOf(FlowError);
    expect(error.message).toBe(`${path} kept changing while gmail-token tried to update it, so it was left as it is.`);
    expect(calls).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe('A=3\n');
    expect(names()).toEqual(['.env']);
  });

  it('waits for the lock only as long as it is told to', async () => {
    const path = join(dir, '.env');
    writeFileSync(lockOf('.env'), `${process.ppid}\n`);
    let called = false;
    const error = await rejection(
      updateAtWriteTime(
        path,
        () => {
          called = true;
          return 'ours\n';
        },
        30,
      ),
    );
    expect(error).toBeInstanceOf(OutputBusyError);
    expect(called).toBe(false);
    expect(names()).toEqual(['..env.gmail-token.lock']);
  });
});

describe('withOutputLock', () => {
  it('holds a 0600 lock beside the output with this pid while working, and removes it', async () => {
    const path = join(dir, 'token.json');
    expect(await lockSeen(path)).toBeUndefined();
    const result = await withOutputLock(path, async () => {
      expect(readFileSync(lockOf('token.json'), 'utf8')).toBe(`${process.pid}\n`);
      expect(statSync(lockOf('token.json')).mode & 0o777).toBe(0o600);
      expect(await lockSeen(path)).toBe(lockOf('token.json'));
      return 42;
    });
    expect(result).toBe(42);
    expect(names()).toEqual([]);
    expect(await lockSeen(path)).toBeUndefined();
  });

  it('removes the lock when the work fails, and passes the failure on', async () => {
    const path = join(dir, 'token.json');
    const failure = new Error('work failed');
    expect(await rejection(withOutputLock(path, () => Promise.reject(failure)))).toBe(failure);
    expect(names()).toEqual([]);
  });

  it('a lock it cannot create says why, without working', async () => {
    const path = join(dir, 'gone', 'token.json');
    let called = false;
    const error = await rejection(
      withOutputLock(path, async () => {
        called = true;
      }),
    );
    expect(error.message).toBe(`Could not write ${path} (ENOENT: the folder is gone); nothing was changed. Choose another --out, then run again.`);
    expect(error).not.toBeInstanceOf(OutputBusyError);
    expect(called).toBe(false);
  });

  for (const [held, content] of [
    ['a live run (the process that started this one)', `${process.ppid}\n`],
    ['a run still writing its pid (fresh, empty)', ''],
  ] as const) {
    it(`waits, then gives up on a lock held by ${held}, leaving it`, async () => {
      const path = join(dir, 'token.json');
      writeFileSync(lockOf('token.json'), content);
      const error = await busyWithoutWorking(path);
      expect(error.message).toBe(
        `Another gmail-token run is writing ${path} (lock ${lockOf('token.json')}); nothing was changed. Remove the lock if no such run exists, then run again.`,
      );
      expect(error.fact).toBe(`Another gmail-token run is writing ${path} (lock ${lockOf('token.json')}); nothing was changed.`);
      expect(readFileSync(lockOf('token.json'), 'utf8')).toBe(content);
      expect(names()).toEqual(['.token.json.gmail-token.lock']);
    });
  }

  const old = (): Date => new Date(Date.now() - LOCK_PATIENCE_MS - 60_000);
  for (const [left, content, aged] of [
    ['a run that is gone (dead pid)', `${GONE}\n`, false],
    ['a run that crashed before writing its pid (old, empty)', '', true],
    ['a run that crashed mid-write (old, no number)', 'x', true],
    ['an old lock with pid 0', '0\n', true],
    ['no gmail-token run (fresh, no number)', 'x', false],
    ['no gmail-token run (fresh, pid 0)', '0\n', false],
  ] as const) {
    it(`takes over a lock left by ${left}, and leaves nothing behind`, async () => {
      const path = join(dir, 'token.json');
      writeFileSync(lockOf('token.json'), content);
      if (aged) utimesSync(lockOf('token.json'), old(), old());
      const result = await withOutputLock(path, async () => {
        expect(readFileSync(lockOf('token.json'), 'utf8')).toBe(`${process.pid}\n`);
        return 'worked';
      });
      expect(result).toBe('worked');
      expect(names()).toEqual([]);
    });
  }

  it('takes the lock once the run holding it lets go', async () => {
    const path = join(dir, 'token.json');
    writeFileSync(lockOf('token.json'), `${process.pid}\n`);
    const realKill = process.kill.bind(process);
    // The run holding the lock finishes just as this one finds it alive.
    vi.spyOn(process, 'kill').mockImplementation((pid, signal) => {
      rmSync(lockOf('token.json'), { force: true });
      return realKill(pid, signal);
    });
    expect(await withOutputLock(path, async () => 'worked', 60_000)).toBe('worked');
    expect(names()).toEqual([]);
  });

  it('a lock it could not complete (disk full) is removed, and nothing is worked on', async () => {
    const path = join(dir, 'token.json');
    fsSwitch.fullAt = lockOf('token.json');
    let called = false;
    const error = await rejection(
      withOutputLock(path, async () => {
        called = true;
      }),
    );
    expect(error.message).toBe(`Could not write ${path} (ENOSPC: the disk is full); nothing was changed. Free some space or choose another --out, then run again.`);
    expect(called).toBe(false);
    expect(names()).toEqual([]);
  });

  it('takes the lock when the run holding it finishes between the attempt and the look at it', async () => {
    const path = join(dir, 'token.json');
    writeFileSync(lockOf('token.json'), `${process.pid}\n`);
    fsSwitch.afterExists = (lock) => rmSync(lock);
    expect(await withOutputLock(path, async () => 'worked', 60_000)).toBe('worked');
    expect(names()).toEqual([]);
  });

  it('a lock whose pid is another user\'s live process (EPERM) is a live run', async () => {
    const path = join(dir, 'token.json');
    writeFileSync(lockOf('token.json'), '1\n');
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
    });
    await busyWithoutWorking(path);
    expect(readFileSync(lockOf('token.json'), 'utf8')).toBe('1\n');
  });

  it('a run that took the lock while this one judged the old one dead keeps it', async () => {
    const path = join(dir, 'token.json');
    const lock = lockOf('token.json');
    writeFileSync(lock, `${GONE}\n`);
    fsSwitch.beforeRename = () => {
      writeFileSync(`${lock}.theirs`, `${process.ppid}\n`, { mode: 0o600 });
      renameSync(`${lock}.theirs`, lock);
    };
    await busyWithoutWorking(path);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.ppid}\n`);
    expect(statSync(lock).mode & 0o777).toBe(0o600);
    expect(names()).toEqual(['.token.json.gmail-token.lock']);
  });

  it('leaks no file descriptor, taking and giving back the lock again and again', async () => {
    const path = join(dir, 'token.json');
    const before = openFds();
    for (let i = 0; i < 20; i++) await withOutputLock(path, async () => undefined);
    expect(openFds() - before).toBeLessThan(10);
  });
});

describe('snapshot', () => {
  it('is undefined when nothing is there, or the folder is gone', async () => {
    expect(await snapshot(join(dir, 'missing'))).toBeUndefined();
    expect(await snapshot(join(dir, 'no-folder', 'missing'))).toBeUndefined();
  });

  it('reads a regular file: bytes, which file, mode, owner, time', async () => {
    const path = join(dir, 'token.json');
    writeFileSync(path, 'secret\n');
    execFileSync('chmod', ['640', path]);
    const stats = statSync(path);
    const read = await snapshot(path);
    expect(read?.bytes.toString('utf8')).toBe('secret\n');
    expect(read).toMatchObject({ dev: stats.dev, ino: stats.ino, mode: 0o640, uid: stats.uid, gid: stats.gid, mtimeMs: stats.mtimeMs });
  });

  it('refuses a symbolic link without reading what it points to', async () => {
    const target = join(dir, 'target');
    writeFileSync(target, 'not ours\n');
    const path = join(dir, 'token.json');
    symlinkSync(target, path);
    const error = await rejection(snapshot(path));
    expect(error).toBeInstanceOf(FlowError);
    expect(error.message).toBe(`Could not read ${path} to update it (ELOOP: it is now a symbolic link); nothing was changed.`);
  });

  it('refuses a FIFO without blocking on it', async () => {
    const path = join(dir, 'token.json');
    execFileSync('mkfifo', [path]);
    const error = await rejection(snapshot(path));
    expect(error).toBeInstanceOf(FlowError);
    expect(error.message).toBe(`${path} is no longer a regular file (a FIFO, a device or a folder appeared there), so it was left as it is.`);
  });

  it('refuses a folder', async () => {
    const path = join(dir, 'token.json');
    mkdirSync(path);
    const error = await rejection(snapshot(path));
    expect(error.message).toBe(`${path} is no longer a regular file (a FIFO, a device or a folder appeared there), so it was left as it is.`);
  });

  it('a path through a file is an error, not "nothing there"', async () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const path = join(dir, 'plain', 'token.json');
    const error = await rejection(snapshot(path));
    expect(error.message).toBe(`Could not read ${path} to update it (ENOTDIR); nothing was changed.`);
  });
});

describe('snapshot, again and again', () => {
  it('leaks no file descriptor, read or refused', async () => {
    const path = join(dir, 'token.json');
    writeFileSync(path, 'A=1\n');
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    const before = openFds();
    for (let i = 0; i < 20; i++) {
      await snapshot(path);
      await rejection(snapshot(folder));
    }
    expect(openFds() - before).toBeLessThan(10);
  });
});
