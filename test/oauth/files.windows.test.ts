import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileBytes, writeFileAtomic, WriteFailedError } from '../../src/oauth/files.js';
import { createNew, TemporaryLeftError, updateAtWriteTime } from '../../src/oauth/write-time.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Windows' file errors, injected on Linux (issue 18.1, 18.2, 18.9): a rename or removal that
 * another program (antivirus, indexer, OneDrive, an editor) blocks for a moment with EPERM, EACCES
 * or EBUSY; link() on exFAT/FAT answering EISDIR; a read-only file --force cannot replace.
 */

const fsSwitch = vi.hoisted(() => ({
  /** Codes the next renames of a temporary file fail with, one each; 'always' repeats the last. */
  renameFailures: [] as string[],
  unlinkFailures: [] as string[],
  always: false,
  linkFails: undefined as string | undefined,
  /** What opening a file to read it answers: Windows opens no folder, it answers EISDIR. */
  openFails: undefined as string | undefined,
  renames: 0,
}));

function nextFailure(queue: string[]): string | undefined {
  return fsSwitch.always ? queue[0] : queue.shift();
}

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const fail = (failure: string, call: string) => Promise.reject(Object.assign(new Error(`${failure}: ${call}`), { code: failure }));
  const rename: typeof real.rename = async (from, to) => {
    if (!String(from).endsWith('.tmp')) return real.rename(from, to);
    fsSwitch.renames++;
    const failure = nextFailure(fsSwitch.renameFailures);
    return failure === undefined ? real.rename(from, to) : fail(failure, 'rename');
  };
  const unlink: typeof real.unlink = async (path) => {
    const failure = String(path).endsWith('.tmp') ? nextFailure(fsSwitch.unlinkFailures) : undefined;
    return failure === undefined ? real.unlink(path) : fail(failure, 'unlink');
  };
  const link: typeof real.link = async (existing, path) => (fsSwitch.linkFails ? fail(fsSwitch.linkFails, 'link') : real.link(existing, path));
  const open = (async (path: Parameters<typeof real.open>[0], ...rest: unknown[]) =>
    fsSwitch.openFails ? fail(fsSwitch.openFails, 'open') : (real.open as (...args: unknown[]) => unknown)(path, ...rest)) as typeof real.open;
  return { ...real, default: { ...real, rename, unlink, link, open }, rename, unlink, link, open };
});

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
  Object.assign(fsSwitch, { renameFailures: [], unlinkFailures: [], always: false, linkFails: undefined, openFails: undefined, renames: 0 });
});
afterEach(() => workspace.cleanup());

const temporaries = () => readdirSync(workspace.dir).filter((name) => name.endsWith('.tmp'));

describe('a file another program holds open for a moment, on win32', () => {
  it.each(['EPERM', 'EACCES', 'EBUSY'])('mint --force retries a rename refused with %s, and writes', async (failure) => {
    const path = workspace.file('token.json', 'old');
    fsSwitch.renameFailures = [failure, failure, failure];
    await writeFileAtomic(path, 'new', 'win32');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(fsSwitch.renames).toBe(4);
    expect(temporaries()).toEqual([]);
  });

  it('the write-back retries too', async () => {
    const path = workspace.file('token.json', 'old');
    fsSwitch.renameFailures = ['EBUSY', 'EPERM'];
    expect(await updateAtWriteTime(path, () => 'new', 2_000, 'win32')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('when the file stays held, says another program holds it after about 2 s, and leaves no temporary file', async () => {
    const path = workspace.file('token.json', 'old');
    fsSwitch.renameFailures = ['EBUSY'];
    fsSwitch.always = true;
    const started = Date.now();
    const error = await writeFileAtomic(path, 'new', 'win32').catch((caught: Error) => caught);
    expect(Date.now() - started).toBeGreaterThan(1_500);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toBe(
      `Could not write ${path} (EBUSY: another program holds the file (an editor, an antivirus, a sync client?)); nothing was changed. Choose another --out, then run again.`,
    );
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(temporaries()).toEqual([]);
  }, 10_000);

  it('a temporary file that cannot be removed either is named, since it holds a secret', async () => {
    const path = workspace.file('token.json', 'old');
    fsSwitch.renameFailures = ['EPERM'];
    fsSwitch.unlinkFailures = ['EPERM'];
    fsSwitch.always = true;
    const error = await writeFileAtomic(path, 'new', 'win32').catch((caught: Error) => caught);
    const [left] = temporaries();
    expect(left).toBeDefined();
    expect((error as Error).message).toContain(`The temporary file ${join(workspace.dir, left as string)} holds a secret and could not be removed (EPERM: another program holds the file`);
    expect((error as Error).message).toMatch(/: delete it\. Choose another --out, then run again\.$/);
  }, 15_000);

  it('a new file written, whose temporary copy stays, says both', async () => {
    const path = join(workspace.dir, 'token.json');
    fsSwitch.unlinkFailures = ['EBUSY'];
    fsSwitch.always = true;
    const error = await createNew(path, 'new', 'win32').catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(TemporaryLeftError);
    expect((error as Error).message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was written\\. The temporary file .*\\.tmp holds a secret`));
    expect(readFileSync(path, 'utf8')).toBe('new');
  }, 10_000);

  it('elsewhere the same errors mean what they say, at once', async () => {
    const path = workspace.file('token.json', 'old');
    fsSwitch.renameFailures = ['EACCES'];
    const error = await writeFileAtomic(path, 'new', 'linux').catch((caught: Error) => caught);
    expect((error as Error).message).toBe(`Could not write ${path} (EACCES: permission denied); nothing was changed. Choose another --out, then run again.`);
    expect(fsSwitch.renames).toBe(1);
  });
});

describe('a read-only file --force cannot replace, on win32', () => {
  it('says read-only and how to clear it, without waiting for another program', async () => {
    const path = workspace.file('token.json', 'old');
    chmodSync(path, 0o444);
    fsSwitch.renameFailures = ['EPERM'];
    fsSwitch.always = true;
    const started = Date.now();
    const error = await writeFileAtomic(path, 'new', 'win32').catch((caught: Error) => caught);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((error as Error).message).toBe(
      `Could not replace ${path} (EPERM: the file is read-only); nothing was changed. Clear its read-only attribute (attrib -r) to let --force replace it, or choose another --out, then run again.`,
    );
    expect(temporaries()).toEqual([]);
  });
});

describe('a read-only file elsewhere', () => {
  it("is not called read-only on Linux and macOS: a refused rename there is the folder's permission", async () => {
    const path = workspace.file('token.json', 'old');
    chmodSync(path, 0o444);
    fsSwitch.renameFailures = ['EPERM'];
    const error = await writeFileAtomic(path, 'new', 'linux').catch((caught: Error) => caught);
    expect((error as Error).message).toBe(`Could not write ${path} (EPERM: permission denied); nothing was changed. Choose another --out, then run again.`);
    expect(temporaries()).toEqual([]);
  });
});

describe('a new file on win32', () => {
  it('is written with nothing there to be read-only', async () => {
    const path = join(workspace.dir, 'token.json');
    await writeFileAtomic(path, 'new', 'win32');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(fsSwitch.renames).toBe(1);
  });
});

describe('reading a folder on Windows', () => {
  it('EISDIR from open is a folder, not a file', async () => {
    fsSwitch.openFails = 'EISDIR';
    await expect(readFileBytes(workspace.dir, 'Token file', '', 'tokens')).rejects.toThrow(/^Token file tokens is a folder, not a file\.$/);
  });
});

describe('exFAT and FAT drives on Windows', () => {
  it('link() answering EISDIR counts as no hard links: the file is created exclusively instead', async () => {
    fsSwitch.linkFails = 'EISDIR';
    const path = join(workspace.dir, 'token.json');
    await createNew(path, 'new', 'win32');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(temporaries()).toEqual([]);
  });

  it('and still never replaces a file that appeared', async () => {
    fsSwitch.linkFails = 'EISDIR';
    const path = workspace.file('token.json', 'theirs');
    const error = await createNew(path, 'new', 'win32').catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(/appeared while consent was given/);
    expect(readFileSync(path, 'utf8')).toBe('theirs');
    expect(existsSync(path)).toBe(true);
  });
});

describe('writes the old way round are not disturbed', () => {
  it('a plain write on win32 renames once', async () => {
    const path = join(workspace.dir, 'token.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, 'new', 'win32');
    expect(fsSwitch.renames).toBe(1);
  });
});
