import { randomBytes } from 'node:crypto';
import { open, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FlowError } from '../core/errors.js';
import { code, writeFailed } from './files.js';
import { snapshot } from './snapshot.js';

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
