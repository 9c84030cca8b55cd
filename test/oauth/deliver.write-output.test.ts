import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowError, InterruptedError } from '../../src/core/errors.js';
import { envEntries, envText, renderOutput, type Format, type MintedToken } from '../../src/core/output.js';
import { writeOutput } from '../../src/oauth/deliver.js';
import { snapshot, type FileSnapshot } from '../../src/oauth/snapshot.js';
import { interruptible, MINT_WAITING_ADVICE, remindLater, waitAtMost, type WaitingAdvice } from '../../src/oauth/waiting.js';
import { rejectionOf } from '../helpers/usage.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Writing mint's output at write time (oauth/deliver) and the waits of the flow (oauth/waiting),
 * in this process so that `npm run mutation` sees them; the CLI tests that reach them run dist/.
 */

const TOKEN: MintedToken = {
  clientId: 'id.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-client-secret',
  refreshToken: '1//refresh-token-new',
  accessToken: 'ya29.access-token',
  tokenUri: 'https://oauth2.googleapis.com/token',
  scopes: ['https://www.googleapis.com/auth/gmail.send'],
  expiry: new Date('2026-11-27T13:00:00Z'),
  account: 'tester@example.com',
};

let ws: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(() => {
  vi.useRealTimers();
  ws.cleanup();
});

const at = (name: string): string => join(ws.dir, name);

function target(format: Format, path: string, before: FileSnapshot | undefined, force = false) {
  return { format, prefix: 'APP_', path, force, before };
}

/** Exactly this file, 0600, and nothing temporary (.tmp, a lock) left in the folder. */
function expectOnly(path: string, content: string, others: string[] = []): void {
  expect(readFileSync(path, 'utf8')).toBe(content);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(readdirSync(ws.dir).sort()).toEqual([path.slice(ws.dir.length + 1), ...others].sort());
}

const refusal = (promise: Promise<unknown>): Promise<FlowError> => rejectionOf(promise, FlowError);

describe('writeOutput: json and shell', () => {
  it('creates a new 0600 file when there was none', async () => {
    const path = at('token.json');
    expect(await writeOutput(target('json', path, undefined), TOKEN)).toBe('created');
    expectOnly(path, renderOutput('json', TOKEN, 'APP_'));
  });

  it('never clobbers a file that appeared during consent', async () => {
    const path = at('token.json');
    writeFileSync(path, 'theirs\n', { mode: 0o644 });
    const error = await refusal(writeOutput(target('json', path, undefined), TOKEN));
    expect(error.message).toBe(`${path} appeared while consent was given (another gmail-token run?) and was kept as it is.`);
    expect(readFileSync(path, 'utf8')).toBe('theirs\n');
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('--force replaces whatever is there, as a 0600 file', async () => {
    const path = at('token.sh');
    writeFileSync(path, 'theirs\n', { mode: 0o644 });
    expect(await writeOutput(target('shell', path, undefined, true), TOKEN)).toBe('replaced');
    expectOnly(path, renderOutput('shell', TOKEN, 'APP_'));
  });

  it('replaces the file agreed to on a terminal while it is unchanged', async () => {
    const path = at('token.json');
    writeFileSync(path, 'old\n', { mode: 0o644 });
    expect(await writeOutput(target('json', path, await snapshot(path)), TOKEN)).toBe('replaced');
    expectOnly(path, renderOutput('json', TOKEN, 'APP_'));
  });

  it('keeps the file agreed to when it changed during consent', async () => {
    const path = at('token.json');
    writeFileSync(path, 'old\n');
    const before = await snapshot(path);
    writeFileSync(path, 'edited\n');
    const error = await refusal(writeOutput(target('json', path, before), TOKEN));
    expect(error.message).toBe(`${path} changed while consent was given, so it was kept as it is.`);
    expect(readFileSync(path, 'utf8')).toBe('edited\n');
    expect(readdirSync(ws.dir)).toEqual(['token.json']);
  });
});

describe('writeOutput: a .env update', () => {
  const ours = (values: [string, string, string]): string => envText([['APP_CLIENT_ID', values[0]], ['APP_CLIENT_SECRET', values[1]], ['APP_REFRESH_TOKEN', values[2]]]);

  it('creates the .env with our three lines when there is none', async () => {
    const path = at('.env');
    expect(await writeOutput(target('env', path, undefined), TOKEN)).toBe('created');
    expectOnly(path, envText(envEntries('APP_', TOKEN)));
  });

  it('updates our keys in place and keeps every other line, also lines added during consent', async () => {
    const path = at('.env');
    writeFileSync(path, `# app\nPORT=8080\n${ours(['old-id', 'old-secret', '1//old'])}`);
    const before = await snapshot(path);
    writeFileSync(path, `# app\nPORT=8080\n${ours(['old-id', 'old-secret', '1//old'])}DEBUG=1\n`);
    expect(await writeOutput(target('env', path, before), TOKEN)).toBe('updated');
    expectOnly(path, `# app\nPORT=8080\n${envText(envEntries('APP_', TOKEN))}DEBUG=1\n`);
  });

  it('merges into a .env that appeared during consent without our keys', async () => {
    const path = at('.env');
    writeFileSync(path, 'PORT=8080\n');
    expect(await writeOutput(target('env', path, undefined), TOKEN)).toBe('updated');
    expectOnly(path, `PORT=8080\n${envText(envEntries('APP_', TOKEN))}`);
  });

  it('creates it again when the .env went away during consent', async () => {
    const path = at('.env');
    writeFileSync(path, 'PORT=8080\n');
    const before = await snapshot(path);
    rmSync(path);
    expect(await writeOutput(target('env', path, before), TOKEN)).toBe('created');
    expectOnly(path, envText(envEntries('APP_', TOKEN)));
  });

  it('leaves the .env as it is when another run wrote our keys during consent', async () => {
    const path = at('.env');
    writeFileSync(path, ours(['id', 'secret', '1//old']));
    const before = await snapshot(path);
    const theirs = ours(['id', 'secret', '1//another-run']);
    writeFileSync(path, theirs);
    const error = await refusal(writeOutput(target('env', path, before), TOKEN));
    expect(error.message).toBe(`${path} got new APP_CLIENT_ID, APP_CLIENT_SECRET, APP_REFRESH_TOKEN values while consent was given (another gmail-token run?), so it was left as it is.`);
    expect(readFileSync(path, 'utf8')).toBe(theirs);
    expect(readdirSync(ws.dir)).toEqual(['.env']);
  });

  it('refuses a .env that appeared with our keys in it', async () => {
    const path = at('.env');
    writeFileSync(path, ours(['id', 'secret', '1//another-run']));
    await refusal(writeOutput(target('env', path, undefined), TOKEN));
    expect(readFileSync(path, 'utf8')).toBe(ours(['id', 'secret', '1//another-run']));
  });

  it('ends with exit 1, not as a usage error, when the .env changed so that it can no longer be merged', async () => {
    const path = at('.env');
    writeFileSync(path, 'APP_CLIENT_ID=x # pasted\nNEXT=1\n');
    const before = await snapshot(path);
    // Our key reads the same, but U+2028 ends a line for dotenv's regex while a bare value runs
    // over it: rewriting APP_CLIENT_ID would swallow NEXT.
    const changed = 'APP_CLIENT_ID=x # pasted\u2028NEXT=1\n';
    writeFileSync(path, changed);
    const error = await refusal(writeOutput(target('env', path, before), TOKEN));
    expect(error.constructor).toBe(FlowError);
    expect(error.message).toBe(
      `${path} changed while consent was given and can no longer be updated so that dotenv reads every other key as before, so it was left as it is.`,
    );
    expect(readFileSync(path, 'utf8')).toBe(changed);
  });
});

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
