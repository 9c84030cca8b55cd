import { describe, expect, it } from 'vitest';
import { lockAbandoned, LOCK_STALE_AGE_MS, type LockJudge } from '../../src/core/lock-judge.js';

/** Which lock files were left by a run that is gone (issues 19.7 and 18.7). */

const OWN = 4242;
const judge = (alive: number[], ownHeld = false): LockJudge => ({ ownPid: OWN, ownHeld, alive: (pid) => alive.includes(pid) });
const FRESH = 100;

describe('a lock file judged', () => {
  it.each([
    ['a pid of 2^31', String(2 ** 31)],
    ['twenty digits', '99999999999999999999'],
    ['hexadecimal', '0x1'],
    ['a leading zero', '01'],
    ['a sign', '+1'],
    ['an exponent', '1e3'],
    ['zero', '0'],
    ['a pid and more', '12 34'],
  ])('stale at once when it holds %s, whatever is alive', (_what, text) => {
    expect(lockAbandoned(`${text}\n`, FRESH, judge([1, 12, 1000, 2 ** 31]))).toBe(true);
  });

  it('stale when it names our own pid and this process does not hold it (a restarted container, pid 1)', () => {
    expect(lockAbandoned(`${OWN}\n`, FRESH, judge([OWN]))).toBe(true);
    expect(lockAbandoned(`${OWN}\n`, FRESH, judge([OWN], true))).toBe(false);
  });

  it('alive while a live pid holds it for less than the stale age, stale after whatever its pid says', () => {
    expect(lockAbandoned('77\n', FRESH, judge([77]))).toBe(false);
    expect(lockAbandoned('77\n', LOCK_STALE_AGE_MS - 1, judge([77]))).toBe(false);
    expect(lockAbandoned('77\n', LOCK_STALE_AGE_MS + 1, judge([77]))).toBe(true);
    expect(lockAbandoned(`${OWN}\n`, LOCK_STALE_AGE_MS + 1, judge([OWN], true))).toBe(true);
  });

  it('stale when dated far in the future (a clock set back, a planted date)', () => {
    expect(lockAbandoned('77\n', -LOCK_STALE_AGE_MS - 1, judge([77]))).toBe(true);
  });

  it('stale when its pid is dead, and the largest pid is a pid', () => {
    expect(lockAbandoned('77\n', FRESH, judge([]))).toBe(true);
    expect(lockAbandoned(`${2 ** 31 - 1}\n`, FRESH, judge([2 ** 31 - 1]))).toBe(false);
  });

  it('empty: a run between creating it and writing its pid, until it is 5 s old', () => {
    expect(lockAbandoned('', FRESH, judge([]))).toBe(false);
    expect(lockAbandoned('\n', 4_999, judge([]))).toBe(false);
    expect(lockAbandoned('', 5_001, judge([]))).toBe(true);
  });
});

describe('the ages that make a lock stale are limits, not yet stale themselves', () => {
  it('a live pid at exactly the stale age, either way of the clock, is still held', () => {
    expect(lockAbandoned('12\n', LOCK_STALE_AGE_MS, judge([12]))).toBe(false);
    expect(lockAbandoned('12\n', -LOCK_STALE_AGE_MS, judge([12]))).toBe(false);
    expect(lockAbandoned('12\n', LOCK_STALE_AGE_MS + 1, judge([12]))).toBe(true);
  });

  it('an empty lock at exactly 5 s may still be a run about to write its pid', () => {
    expect(lockAbandoned('', 5_000, judge([]))).toBe(false);
    expect(lockAbandoned('', 5_001, judge([]))).toBe(true);
    expect(lockAbandoned('\n', -5_001, judge([]))).toBe(true);
  });
});
