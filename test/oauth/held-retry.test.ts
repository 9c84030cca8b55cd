import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryWhileHeld } from '../../src/oauth/held-retry.js';

/** A file operation that fails with these codes in turn, then succeeds; it counts its tries. */
function failingWith(...codes: string[]) {
  const tries = { count: 0 };
  const operation = async () => {
    const failure = codes[tries.count++];
    if (failure !== undefined) throw Object.assign(new Error(`${failure}: held`), { code: failure });
    return 'done';
  };
  return { tries, operation };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('retryWhileHeld', () => {
  it('on Windows, tries again while another program holds the file (EPERM, EACCES, EBUSY)', async () => {
    const { tries, operation } = failingWith('EBUSY', 'EPERM', 'EACCES');
    const done = retryWhileHeld(operation, 'win32');
    await vi.runAllTimersAsync();
    expect(await done).toBe('done');
    expect(tries.count).toBe(4);
  });

  it('on Windows, gives up after about two seconds with the last error', async () => {
    const { tries, operation } = failingWith(...Array<string>(20).fill('EBUSY'));
    const done = retryWhileHeld(operation, 'win32').catch((error: Error) => error);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(tries.count).toBe(8);
    await vi.advanceTimersByTimeAsync(120);
    expect(await done).toMatchObject({ code: 'EBUSY' });
    expect(tries.count).toBe(9);
  });

  it('on Windows, any other error is thrown at once', async () => {
    const { tries, operation } = failingWith('ENOENT');
    await expect(retryWhileHeld(operation, 'win32')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(tries.count).toBe(1);
  });

  it.each(['linux', 'darwin'] as const)('on %s, EPERM means what it says: no second try', async (platform) => {
    const { tries, operation } = failingWith('EPERM');
    await expect(retryWhileHeld(operation, platform)).rejects.toMatchObject({ code: 'EPERM' });
    expect(tries.count).toBe(1);
  });
});
