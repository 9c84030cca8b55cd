import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowError, InterruptedError } from '../../src/core/errors.js';
import { interruptible, MINT_WAITING_ADVICE, remindLater, waitAtMost, type WaitingAdvice } from '../../src/oauth/waiting.js';
import { makeWorkspace } from '../helpers/workspace.js';

let ws: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(() => {
  vi.useRealTimers();
  ws.cleanup();
});

/** A wait that ends only when its signal is aborted, with the signal's reason. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason));
  });
}

/**
 * The promise's outcome if it has settled by now, else 'still waiting': a Ctrl-C that was not
 * heard fails here instead of hanging the test.
 */
function settledFirst<T>(promise: Promise<T>): Promise<T | 'still waiting'> {
  return Promise.race([promise, Promise.resolve('still waiting' as const)]);
}

describe('remindLater', () => {
  it('reminds once after 45 s of waiting, and not at all once cancelled', () => {
    vi.useFakeTimers();
    const reminded = vi.fn();
    remindLater(reminded);
    vi.advanceTimersByTime(44_999);
    expect(reminded).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(reminded).toHaveBeenCalledTimes(1);
    const cancelled = vi.fn();
    remindLater(cancelled)();
    vi.advanceTimersByTime(60_000);
    expect(cancelled).not.toHaveBeenCalled();
  });
});

describe('waitAtMost', () => {
  const advice: WaitingAdvice = { stillWaiting: 'unused here', timedOut: 'Run again.' };

  it('gives up after the seconds given, saying how long it waited and the advice', async () => {
    vi.useFakeTimers();
    for (const [seconds, unit] of [
      [1, 'second'],
      [2, 'seconds'],
    ] as const) {
      let seen: AbortSignal | undefined;
      const waiting = waitAtMost(seconds, advice, new AbortController().signal, (signal) => ((seen = signal), untilAborted(signal))).catch((error: unknown) => error);
      vi.advanceTimersByTime(seconds * 1000 - 1);
      expect(seen?.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(seen?.aborted).toBe(true);
      const error = await waiting;
      expect(error).toBeInstanceOf(FlowError);
      expect((error as Error).message).toBe(`No consent arrived within ${seconds} ${unit}; nothing was written. Run again.`);
    }
  });

  it("mint's advice names the causes of Google's own error page and the ways out", async () => {
    vi.useFakeTimers();
    const waiting = waitAtMost(30, MINT_WAITING_ADVICE, new AbortController().signal, untilAborted).catch((error: unknown) => error);
    vi.advanceTimersByTime(30_000);
    const { message } = (await waiting) as Error;
    expect(message).toMatch(/^No consent arrived within 30 seconds; nothing was written\. If Google shows "Error 403: access_denied" or "Access blocked"/);
    expect(message).toContain('add the account under Test users on the OAuth consent screen');
    expect(message).toMatch(/Otherwise run again \(--timeout to wait longer\), or use --manual when the browser cannot reach this machine\.$/);
    expect(MINT_WAITING_ADVICE.stillWaiting).toMatch(/^If Google shows "Error 403: access_denied".*ask its admin whether a policy blocks the app\.$/);
  });

  it('Ctrl-C, before or during the wait, ends it with the interruption', async () => {
    // The wait's own signal is checked before awaiting: a Ctrl-C not passed on would hang the test.
    const seen: AbortSignal[] = [];
    const waitFor = (signal: AbortSignal) => (seen.push(signal), untilAborted(signal));
    const early = new AbortController();
    early.abort(new InterruptedError());
    const before = waitAtMost(30, advice, early.signal, waitFor);
    expect(seen[0]?.reason).toBe(early.signal.reason);
    await expect(before).rejects.toBe(early.signal.reason);
    const later = new AbortController();
    const during = waitAtMost(30, advice, later.signal, waitFor);
    expect(seen[1]?.aborted).toBe(false);
    later.abort(new InterruptedError());
    expect(seen[1]?.reason).toBe(later.signal.reason);
    await expect(during).rejects.toBe(later.signal.reason);
  });

  it('once the wait is over, neither its timer nor a later Ctrl-C touches it', async () => {
    vi.useFakeTimers();
    const interrupt = new AbortController();
    let seen: AbortSignal | undefined;
    expect(await waitAtMost(1, advice, interrupt.signal, async (signal) => ((seen = signal), 'consent'))).toBe('consent');
    vi.advanceTimersByTime(5_000);
    interrupt.abort(new InterruptedError());
    expect(seen?.aborted).toBe(false);
  });
});

describe('interruptible', () => {
  it('passes on what the work gives, or how it failed', async () => {
    const signal = new AbortController().signal;
    await expect(interruptible(Promise.resolve('grant'), signal)).resolves.toBe('grant');
    const failure = new FlowError('Google said no.');
    await expect(interruptible(Promise.reject(failure), signal)).rejects.toBe(failure);
  });

  it('ends at Ctrl-C, before or during the work, with the interruption, even when the work would succeed', async () => {
    const early = new AbortController();
    early.abort(new InterruptedError());
    await expect(settledFirst(interruptible(Promise.resolve('grant'), early.signal))).rejects.toBe(early.signal.reason);
    const later = new AbortController();
    const pending = interruptible(new Promise<string>(() => undefined), later.signal);
    later.abort(new InterruptedError('Interrupted while asking Google.'));
    await expect(settledFirst(pending)).rejects.toThrow('Interrupted while asking Google.');
  });
});
