/** The largest pid a lock may name: pids are positive 32-bit numbers on every system Node runs on. */
const LARGEST_PID = 2 ** 31 - 1;

/**
 * A lock is held for the milliseconds of a read, merge and rename, so one older than this was left
 * by a run that is gone, whatever its pid says: Windows reuses pids quickly, and a container's
 * restarted process can have the crashed one's pid. Twice mint's wait, so a run that waits the
 * whole 5 s for a live one still sees it as busy.
 */
export const LOCK_STALE_AGE_MS = 10_000;

/** A lock holding no pid yet: its run may be between creating it and writing the pid, for milliseconds. */
const EMPTY_LOCK_AGE_MS = 5_000;

export interface LockJudge {
  ownPid: number;
  /** Whether this process holds that lock right now. */
  ownHeld: boolean;
  alive(pid: number): boolean;
}

/**
 * Whether a lock file with `text`, last changed `ageMs` ago, was left by a run that is gone.
 * Empty: a run may be between creating it and writing its pid, so only once old. Anything but a
 * plain decimal pid in range (`0x1`, twenty digits, 2^31) was written by no gmail-token run. Our
 * own pid counts only while this process holds it. An age below zero (a clock set back, a date
 * planted in the future) is as suspect as a large one.
 */
export function lockAbandoned(text: string, ageMs: number, judge: LockJudge): boolean {
  if (Math.abs(ageMs) > LOCK_STALE_AGE_MS) return true;
  const content = text.trim();
  if (content === '') return Math.abs(ageMs) > EMPTY_LOCK_AGE_MS;
  if (!/^[1-9][0-9]{0,9}$/.test(content)) return true;
  const pid = Number(content);
  if (pid > LARGEST_PID) return true;
  if (pid === judge.ownPid) return !judge.ownHeld;
  return !judge.alive(pid);
}
