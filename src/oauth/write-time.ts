import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FlowError } from '../core/errors.js';
import { code, why, writeFailed, writeTemporary } from './files.js';

/**
 * The output is checked again at the moment of writing (SPEC "Outputs"): minutes of consent lie
 * between the first check and the write, and a file can appear or change meanwhile.
 */

/** A file as read at one moment: its bytes and which file it was. */
export interface FileSnapshot {
  bytes: Buffer;
  dev: number;
  ino: number;
  /** Its permission bits (0o600, say). */
  mode: number;
}

/**
 * The file at `path` now, read without following a symbolic link (one planted at that path must
 * not pull another file's contents into ours), or undefined when nothing is there. O_NONBLOCK
 * because a FIFO planted there would otherwise block the open, and mint with it, for ever after
 * Google issued the token; anything but a regular file is refused before a byte is read.
 */
export async function snapshot(path: string): Promise<FileSnapshot | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = await handle.stat();
    if (!stats.isFile()) throw new FlowError(`${path} is no longer a regular file (a FIFO, a device or a folder appeared there), so it was left as it is.`);
    return { bytes: await handle.readFile(), dev: stats.dev, ino: stats.ino, mode: stats.mode & 0o7777 };
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    if (error instanceof FlowError) throw error;
    throw new FlowError(`Could not read ${path} to update it (${why(error)}); nothing was changed.`);
  } finally {
    await handle?.close();
  }
}

function same(a: FileSnapshot | undefined, b: FileSnapshot | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.dev === b.dev && a.ino === b.ino && a.bytes.equals(b.bytes);
}

function lockFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.gmail-token.lock`);
}

function pidIn(bytes: Buffer): number {
  return Number(bytes.toString('utf8').trim());
}

/**
 * The pid in a lock whose run is gone (it crashed inside the few milliseconds it holds it), or
 * undefined while that run may still be alive, or the lock is not a plain file holding a pid.
 */
async function abandoned(lock: string): Promise<number | undefined> {
  const pid = pidIn((await snapshot(lock).catch(() => undefined))?.bytes ?? Buffer.alloc(0));
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return undefined;
  } catch (error) {
    return code(error) === 'ESRCH' ? pid : undefined;
  }
}

/**
 * Removes the lock of the run `deadPid`, which is gone. Two runs can judge that lock dead at once;
 * if each simply unlinked the name, the slower one could remove the lock the faster one had just
 * taken, and both would write. So the lock is first renamed to a name only this run uses, and what
 * was moved is read there: if it is not the dead run's lock (another run took the name meanwhile)
 * it is put back with O_EXCL. That can fail only if a third run took the free name in the
 * microseconds between, a window left open: it needs three runs at once and a crashed one's lock.
 */
async function clearAbandoned(lock: string, deadPid: number): Promise<void> {
  const aside = `${lock}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lock, aside);
  } catch {
    return;
  }
  try {
    const moved = (await snapshot(aside).catch(() => undefined))?.bytes ?? Buffer.alloc(0);
    if (pidIn(moved) !== deadPid) await writeFile(lock, moved, { flag: 'wx', mode: 0o600 }).catch(() => undefined);
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

/** Creates the lock holding our pid; a lock that could not be completed (disk full) is removed. */
async function takeLock(lock: string): Promise<void> {
  const handle = await open(lock, 'wx', 0o600);
  try {
    await handle.writeFile(`${process.pid}\n`);
  } catch (error) {
    await unlink(lock).catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}

/** How long a run waits for another to finish writing the same file (each holds it for milliseconds). */
export const LOCK_PATIENCE_MS = 5_000;
const LOCK_RETRY_MS = 20;

/** Another gmail-token run held the lock beside the file for longer than this run would wait. */
export class OutputBusyError extends FlowError {}

/** Takes the lock, clearing one its run left behind; false when a live run still holds it after `patienceMs`. */
async function acquire(path: string, lock: string, patienceMs: number): Promise<boolean> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      await takeLock(lock);
      return true;
    } catch (error) {
      if (code(error) !== 'EEXIST') throw writeFailed(path, error);
      const deadPid = await abandoned(lock);
      if (deadPid !== undefined) await clearAbandoned(lock, deadPid);
      else if (Date.now() > deadline) return false;
      else await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }
}

/**
 * Runs `work` while holding a lock file next to the output (an exclusive create), so two
 * gmail-token runs writing one path take turns: the second sees what the first wrote. The lock is
 * held only for read, merge and rename, never across consent. Every writer of mint's outputs and
 * of token.json (access-token's write-back too) takes it.
 */
export async function withOutputLock<T>(path: string, work: () => Promise<T>, patienceMs = LOCK_PATIENCE_MS): Promise<T> {
  const lock = lockFor(path);
  if (!(await acquire(path, lock, patienceMs))) {
    throw new OutputBusyError(`Another gmail-token run is writing ${path} (lock ${lock}); nothing was changed. Remove the lock if no such run exists, then run again.`);
  }
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

/** What link(2) answers on file systems without hard links (vfat, exFAT, some network mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Gives `path` the content of `temporary` (which holds `data`) only while nothing is at `path`
 * (EEXIST otherwise). A hard link is the first choice: it publishes a complete, synced file in one
 * step, so no reader ever sees part of it. Where the file system has no hard links, an exclusive
 * create (O_EXCL, 0600, never through a link) then write and fsync is the fallback: still
 * no-clobber, but a reader looking in those milliseconds can see a partly written file, and a
 * write that fails leaves one, which is removed (it is ours: O_EXCL made it). A mint that could not
 * write on such a disk at all would be worse.
 */
async function publishNew(temporary: string, path: string, data: string | Uint8Array): Promise<void> {
  try {
    await link(temporary, path);
    return;
  } catch (error) {
    if (!NO_HARD_LINKS.has(code(error) ?? '')) throw error;
  }
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Creates `path` only while nothing is there: a complete temporary file is hard-linked to the
 * name, which fails with EEXIST rather than replace a file that appeared since the check.
 */
export async function createNew(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = await writeTemporary(path, data);
  try {
    await publishNew(temporary, path, data);
  } catch (error) {
    if (code(error) === 'EEXIST') {
      throw new FlowError(`${path} appeared while consent was given (another gmail-token run?) and was kept as it is.`);
    }
    throw writeFailed(path, error);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/**
 * Replaces `path` with `data` only while it is still the file `expected` (same file, same bytes),
 * checked right before the rename; a file that changed is left as it is.
 */
export async function replaceIfUnchanged(path: string, data: string | Uint8Array, expected: FileSnapshot | undefined): Promise<boolean> {
  const temporary = await writeTemporary(path, data);
  try {
    if (!same(await snapshot(path), expected)) return false;
    if (expected === undefined) await publishNew(temporary, path, data);
    else await rename(temporary, path);
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    if (error instanceof FlowError) throw error;
    throw writeFailed(path, error);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Tries to merge into a file being edited by someone else before giving up. */
const MERGE_ATTEMPTS = 3;

/**
 * Updates `path` from what it holds at the moment of writing, under the lock: `update` gets the
 * current bytes (undefined when there is no file), and the file as read, and returns the new
 * bytes, or undefined to leave the file as it is. If the file changes between that read and the rename, the update is done
 * again on the new content, and after a few tries the file is left untouched (exit 1). Returns
 * whether the file was written.
 */
export async function updateAtWriteTime(
  path: string,
  update: (current: Buffer | undefined, file: FileSnapshot | undefined) => string | Uint8Array | undefined,
  lockPatienceMs = LOCK_PATIENCE_MS,
): Promise<boolean> {
  return withOutputLock(
    path,
    async () => {
      for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
        const current = await snapshot(path);
        const data = update(current?.bytes, current);
        if (data === undefined) return false;
        if (await replaceIfUnchanged(path, data, current)) return true;
      }
      throw new FlowError(`${path} kept changing while gmail-token tried to update it, so it was left as it is.`);
    },
    lockPatienceMs,
  );
}
