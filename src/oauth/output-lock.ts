import { randomBytes } from 'node:crypto';
import { lstat, open, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { code, writeFailed, WriteFailedError } from './files.js';
import { snapshot, type FileSnapshot } from './snapshot.js';

function lockFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.gmail-token.lock`);
}

/**
 * The lock file, as read, when its run is gone: its pid names no live process (it crashed inside
 * the few milliseconds it holds the lock), or it holds no pid at all and is older than any run
 * takes to write one (it crashed between creating the lock and writing its pid). Undefined while
 * that run may still be alive.
 */
async function abandoned(lock: string): Promise<FileSnapshot | undefined> {
  const found = await snapshot(lock).catch(() => undefined);
  if (found === undefined) return undefined;
  const pid = Number(found.bytes.toString('utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return Date.now() - found.mtimeMs > LOCK_PATIENCE_MS ? found : undefined;
  try {
    process.kill(pid, 0);
    return undefined;
  } catch (error) {
    return code(error) === 'ESRCH' ? found : undefined;
  }
}

/**
 * Removes the lock `judged` abandoned. Two runs can judge that lock dead at once; if each simply
 * unlinked the name, the slower one could remove the lock the faster one had just taken, and both
 * would write. So the lock is first renamed to a name only this run uses, and the file moved is
 * checked there: if it is not the one judged (same inode; another run took the name meanwhile) it
 * is put back with O_EXCL. That can fail only if a third run took the free name in the
 * microseconds between, a window left open: it needs three runs at once and a crashed one's lock.
 */
async function clearAbandoned(lock: string, judged: FileSnapshot): Promise<void> {
  const aside = `${lock}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lock, aside);
  } catch {
    return;
  }
  try {
    const moved = await snapshot(aside).catch(() => undefined);
    if (moved && (moved.dev !== judged.dev || moved.ino !== judged.ino)) {
      await writeFile(lock, moved.bytes, { flag: 'wx', mode: 0o600 }).catch(() => undefined);
    }
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

/**
 * The lock beside `path` if one is there now (another run writing, or one that crashed), so the
 * person can be told why the write may wait; only a notice: acquire() still decides.
 */
export async function lockSeen(path: string): Promise<string | undefined> {
  const lock = lockFor(path);
  try {
    await lstat(lock);
    return lock;
  } catch {
    return undefined;
  }
}

/** Another gmail-token run held the lock beside the file for longer than this run would wait. */
export class OutputBusyError extends WriteFailedError {}

/** Takes the lock, clearing one its run left behind; false when a live run still holds it after `patienceMs`. */
async function acquire(path: string, lock: string, patienceMs: number): Promise<boolean> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      await takeLock(lock);
      return true;
    } catch (error) {
      if (code(error) !== 'EEXIST') throw writeFailed(path, error);
      const left = await abandoned(lock);
      if (left !== undefined) await clearAbandoned(lock, left);
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
    throw new OutputBusyError(
      `Another gmail-token run is writing ${path} (lock ${lock}); nothing was changed.`,
      'Remove the lock if no such run exists, then run again.',
    );
  }
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}
