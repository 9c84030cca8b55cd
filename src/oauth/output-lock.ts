import { randomBytes } from 'node:crypto';
import { lstat, open, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { lockAbandoned } from '../core/lock-judge.js';
import { code, why, writeFailed, WriteFailedError } from './files.js';
import { sameFileIdentity, snapshot, type FileSnapshot } from './snapshot.js';

function lockFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.gmail-token.lock`);
}

/**
 * The lock files this process holds now, by name and by file: a lock naming our own pid is ours
 * only if it is one of them (otherwise an earlier process with that pid left it: pid 1 in a
 * container that restarted). By file too, because on a case-insensitive disk (macOS, Windows)
 * Token.json's lock and token.json's are one file under two names.
 */
const held = new Map<string, { dev: number; ino: number }>();

function holding(lock: string, found: FileSnapshot): boolean {
  return held.has(lock) || [...held.values()].some((file) => file.ino !== 0 && file.dev === found.dev && file.ino === found.ino);
}

/** Whether the process with this pid exists (EPERM: it does, as another user's). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) !== 'ESRCH';
  }
}

/** The lock file, as read, when its run is gone (see lockAbandoned); undefined while it may be alive. */
async function abandoned(lock: string): Promise<FileSnapshot | undefined> {
  const found = await snapshot(lock).catch(() => undefined);
  if (found === undefined) return undefined;
  const judged = lockAbandoned(found.bytes.toString('latin1'), Date.now() - found.mtimeMs, {
    ownPid: process.pid,
    ownHeld: holding(lock, found),
    alive: pidAlive,
  });
  return judged ? found : undefined;
}

/**
 * Removes the lock `judged` abandoned; returns the error when it cannot be moved aside (a lock
 * planted by another user in a sticky folder, a read-only folder), so the wait ends as busy rather
 * than trying again for ever. Two runs can judge that lock dead at once; if each simply unlinked
 * the name, the slower one could remove the lock the faster one had just taken, and both would
 * write. So the lock is first renamed to a name only this run uses, and the file moved is checked
 * there: if it is not the one judged (same inode; another run took the name meanwhile) it is put
 * back with O_EXCL. That can fail only if a third run took the free name in the microseconds
 * between, a window left open: it needs three runs at once and a crashed one's lock. The aside
 * name is short whatever the output's name, so a long file name cannot make it too long.
 */
async function clearAbandoned(lock: string, judged: FileSnapshot): Promise<unknown> {
  const aside = join(dirname(lock), `.gmail-token.${randomBytes(6).toString('hex')}.stale`);
  try {
    await rename(lock, aside);
  } catch (error) {
    return code(error) === 'ENOENT' ? undefined : error;
  }
  try {
    const moved = await snapshot(aside).catch(() => undefined);
    if (moved && !sameFileIdentity(moved, judged)) {
      await writeFile(lock, moved.bytes, { flag: 'wx', mode: 0o600 }).catch(() => undefined);
    }
  } finally {
    await unlink(aside).catch(() => undefined);
  }
  return undefined;
}

/** Creates the lock holding our pid, and says which file it is; a lock that could not be completed (disk full) is removed. */
async function takeLock(lock: string): Promise<{ dev: number; ino: number }> {
  const handle = await open(lock, 'wx', 0o600);
  try {
    await handle.writeFile(`${process.pid}\n`);
    const { dev, ino } = await handle.stat();
    return { dev, ino };
  } catch (error) {
    await unlink(lock).catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}

/** How long a run waits for another to finish writing the same file (each holds it for milliseconds). */
export const LOCK_PATIENCE_MS = 5_000;
/** The first pause between tries, doubled up to the longest: no busy loop, and a freed lock is seen soon. */
const FIRST_RETRY_MS = 10;
const LONGEST_RETRY_MS = 200;

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

/**
 * The lock beside the file stayed for longer than this run would wait: another gmail-token run held
 * it, or (`stuck`) it was left by a run that is gone and could not be removed.
 */
export class OutputBusyError extends WriteFailedError {
  constructor(
    fact: string,
    advice: string,
    readonly stuck = false,
  ) {
    super(fact, advice);
  }
}

/**
 * Takes the lock, clearing one its run left behind. When it cannot within `patienceMs`, returns
 * why: undefined for a live run still holding it, else the error that kept an abandoned one in place.
 */
async function acquire(path: string, lock: string, patienceMs: number): Promise<{ taken: true } | { taken: false; stuck: unknown }> {
  const deadline = Date.now() + patienceMs;
  let pause = FIRST_RETRY_MS;
  let stuck: unknown;
  for (;;) {
    try {
      held.set(lock, await takeLock(lock));
      return { taken: true };
    } catch (error) {
      if (code(error) !== 'EEXIST') throw writeFailed(path, error);
    }
    const left = await abandoned(lock);
    stuck = left === undefined ? undefined : await clearAbandoned(lock, left);
    if (left !== undefined && stuck === undefined && Date.now() < deadline) continue;
    if (Date.now() >= deadline) return { taken: false, stuck };
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(1, deadline - Date.now()))));
    pause = Math.min(pause * 2, LONGEST_RETRY_MS);
  }
}

function busy(path: string, lock: string, stuck: unknown): OutputBusyError {
  if (stuck === undefined) {
    return new OutputBusyError(`Another gmail-token run is writing ${path} (lock ${lock}); nothing was changed.`, 'Remove the lock if no such run exists, then run again.');
  }
  return new OutputBusyError(
    `The output ${path} is busy: the lock ${lock} was left by a run that is gone, and gmail-token could not remove it (${why(stuck)}); nothing was changed.`,
    'Remove the lock (its owner or root can), then run again.',
    true,
  );
}

/**
 * Runs `work` while holding a lock file next to the output (an exclusive create), so two
 * gmail-token runs writing one path take turns: the second sees what the first wrote. The lock is
 * held only for read, merge and rename, never across consent. Every writer of mint's outputs and
 * of token.json (access-token's write-back too) takes it. Every wait is bounded by `patienceMs`.
 */
export async function withOutputLock<T>(path: string, work: () => Promise<T>, patienceMs = LOCK_PATIENCE_MS): Promise<T> {
  const lock = lockFor(path);
  const got = await acquire(path, lock, patienceMs);
  if (!got.taken) throw busy(path, lock, got.stuck);
  try {
    return await work();
  } finally {
    held.delete(lock);
    await unlink(lock).catch(() => undefined);
  }
}
