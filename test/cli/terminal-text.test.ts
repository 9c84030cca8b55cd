import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControls, neutralise } from '../../src/core/terminal.js';
import { pool } from '../helpers/async.js';
import { followConsent, redirectUriOf } from '../helpers/browser.js';
import { runInProcess, runInProcessToEnd } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { runs } from '../helpers/properties.js';

/**
 * Issue 11, terminal safety and strict numbers: text from the network, a file or the person's own
 * options reaches stderr with its control characters shown as escapes, never acted on.
 */

const h = useEmulatorHarness();

function env() {
  return { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort };
}

/** ESC, BEL, CR, C1 CSI and a bidi override: none may reach the terminal as it is. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u202e]/;
const HOSTILE = '\u001b]0;owned\u0007\u001b[2J\r\nerror: a line of its own\u009b31m\u202e';

/** stderr as lines, after checking it holds no control character but line ends. */
function safeLines(stderr: string): string[] {
  expect(stderr).not.toMatch(RAW_CONTROL);
  return stderr.trimEnd().split('\n');
}

describe('text from the network', () => {
  it('a consent callback whose error and error_description carry escape sequences', async () => {
    const run = runInProcess(['mint', '--no-open'], { cwd: h.workspace.dir, env: env() });
    const consent = new URL(await run.consentUrl());
    const callback = redirectUriOf(consent.href);
    callback.search = new URLSearchParams({ state: consent.searchParams.get('state') ?? '', error: `server_error${HOSTILE}`, error_description: HOSTILE }).toString();
    expect((await fetch(callback)).status).toBe(200);
    const result = await run.exit;
    expect(result.code).toBe(1);
    const lines = safeLines(result.stderr);
    expect(lines.some((line) => line.startsWith('error: a line of its own'))).toBe(false);
    expect(result.stderr).toContain('Google ended consent with server_error ]0;owned [2J error: a line of its own 31m ');
  });

  it("the token endpoint's error_description", async () => {
    h.emulator.behaviour.tokenFault = { kind: 'oauth-error', error: 'invalid_request', description: HOSTILE, status: 400 };
    const run = runInProcess(['mint', '--no-open'], { cwd: h.workspace.dir, env: env() });
    await followConsent(await run.consentUrl());
    const result = await run.exit;
    expect(result.code).toBe(1);
    safeLines(result.stderr);
    expect(result.stderr).toContain(' ]0;owned [2J error: a line of its own 31m ');
  });

  it('the account email Google reports, in the summary', async () => {
    h.emulator.behaviour.account = `tester${HOSTILE}@example.com`;
    const run = runInProcess(['mint', '--no-open', '-s', 'gmail.send', 'email'], { cwd: h.workspace.dir, env: env() });
    await followConsent(await run.consentUrl());
    const result = await run.exit;
    expect(result.code).toBe(0);
    safeLines(result.stderr);
    expect(result.stderr).toContain('account: tester ]0;owned [2J error: a line of its own 31m @example.com');
  });
});

/** The person's own values are shown escaped; a file name, like network text, is neutralised. */
describe("the person's own input, in errors", () => {
  const cases: [string, string[], RegExp][] = [
    ['--login-hint with CR/LF', ['mint', '--no-open', '--login-hint', 'you@example.com\r\nerror: forged'], /--login-hint "you@example\.com\\x0d\\x0aerror: forged" is not an email address/],
    ['--send-test with CR/LF', ['check', '--send-test', 'you@example.com\r\nBcc: them@example.com'], /--send-test "you@example\.com\\x0d\\x0aBcc: them@example\.com" is not an email address/],
    ['--format with an escape (commander\'s own message)', ['mint', '--no-open', '-f', '\u001b[2Jjson'], /argument '\\x1b\[2Jjson' is invalid/],
    ['--scope with an escape', ['mint', '--no-open', '-s', 'gmail.\u001b[2Jsend'], /Unknown scope "gmail\.\\x1b\[2Jsend"/],
    ['a file name with an escape', ['mint', '--no-open', '-o', 'no\u001b[2Jdir/token.json'], /folder .*no \[2Jdir does not exist/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const result = await runInProcessToEnd(args, { cwd: h.workspace.dir, env: env() });
      expect(result.code).toBe(2);
      const lines = safeLines(result.stderr).filter((line) => !line.startsWith('(run gmail-token --help'));
      expect(lines).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(h.emulator.received).toEqual([]);
    });
  }
});

describe('--timeout and --port take whole numbers in their ranges only', () => {
  const refused: [string, string][] = [
    ...['0.001', '1e-9', '1.5', '0', '-1', '86401', '', ' 5', '5 ', '0x10', '1e3', 'Infinity', 'NaN', '+5', '\uff15'].map((value): [string, string] => ['--timeout', value]),
    ...['-1', '65536', '1.5', '8e3', ' 80', '0x50', '', '+80', '80\n'].map((value): [string, string] => ['--port', value]),
  ];

  it('refuses every other value with exit 2 before any network, browser or file action', async () => {
    const results = await pool(refused, 4, async ([flag, value]) => ({ flag, value, result: await runInProcessToEnd(['mint', '--no-open', `${flag}=${value}`], { cwd: h.workspace.dir, env: env() }) }));
    for (const { flag, value, result } of results) {
      expect({ flag, value, code: result.code }).toEqual({ flag, value, code: 2 });
      const lines = safeLines(result.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(flag === '--timeout' ? /--timeout ".*" is not a number of seconds\. Use a whole number from 1 to 86400/ : /--port ".*" is not a port\. Use a whole number from 1 to 65535, or 0/);
      expect(result.stderr).not.toContain('/o/oauth2/');
    }
    expect(h.emulator.received).toEqual([]);
    expect(existsSync(join(h.workspace.dir, 'token.json'))).toBe(false);
  }, 60_000);

  it('accepts the ends of the --timeout range, and --port 0: the flow starts', async () => {
    for (const args of [['--timeout', '1'], ['--timeout', '86400'], ['--port', '0']]) {
      const run = runInProcess(['mint', '--no-open', ...args], { cwd: h.workspace.dir, env: env() });
      expect(await run.consentUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\//);
      run.child.kill('SIGTERM');
      expect((await run.exit).code).toBe(130);
    }
  });
});

describe('the one neutraliser', () => {
  it('leaves no control character in any text, and leaves text without one as it was', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const shownText = neutralise(text);
        expect(escapeControls(text)).not.toMatch(RAW_CONTROL);
        expect(shownText).not.toMatch(RAW_CONTROL);
        expect(shownText).not.toMatch(/[\n\u061c\u2028\u2029\u2066-\u2069]/);
        // eslint-disable-next-line no-control-regex -- the characters it must escape
        if (!/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text)) expect(shownText).toBe(text);
      }),
      runs(2000),
    );
  });
});
