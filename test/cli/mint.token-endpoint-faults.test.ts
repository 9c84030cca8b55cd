import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TokenFault } from '../../src/emulator/index.js';
import { httpPolicyFrom } from '../../src/oauth/google.js';
import { followConsent } from '../helpers/browser.js';
import { runInProcess } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { within } from '../helpers/async.js';

/** Faults from Google's token endpoint, played by the h.emulator, seen through the real CLI. */

const h = useEmulatorHarness();



/** GMAIL_TOKEN_HTTP_TIMEOUT (seconds) shortens the wait for a Google that never answers. */
const HTTP_TIMEOUT_SECONDS = 1;

async function mintAgainstFault(fault: TokenFault | null, args: string[] = []) {
  h.emulator.behaviour.tokenFault = fault;
  const run = runInProcess(['mint', '--no-open', ...args], {
    cwd: h.workspace.dir,
    env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, GMAIL_TOKEN_HTTP_TIMEOUT: String(HTTP_TIMEOUT_SECONDS) },
  });
  const page = await followConsent(await run.consentUrl());
  const result = await within(run.exit, 10_000, 'the CLI exiting');
  return { ...result, page, tokenRequests: h.emulator.received.filter((request) => request.path === '/token').length };
}

/** What a person sees in the folder: no token.json and no leftover temporary file. */
function folder(): string[] {
  return readdirSync(h.workspace.dir).sort();
}

const cases: [string, TokenFault, RegExp][] = [
  ['HTTP 500', { kind: 'status', status: 500 }, /server error \(HTTP 500\b.*\)\. Try again in a minute/],
  ['HTTP 503', { kind: 'status', status: 503 }, /server error \(HTTP 503\b.*\)\. Try again in a minute/],
  ['a body that is not JSON', { kind: 'non-json' }, /web page, not Google's JSON.*proxy.*Check your network or proxy settings and try again/],
  ['a reset connection', { kind: 'reset' }, /could not reach Google \(ECONNRESET\)\. Check your network or proxy and try again/],
  ['an answer that never comes', { kind: 'hang' }, /Google did not answer in time\. Check your network and try again/],
  ['invalid_client', { kind: 'oauth-error', error: 'invalid_client' }, /\(invalid_client\)\..*secret is wrong.*Download credentials\.json again/],
  ['invalid_grant', { kind: 'oauth-error', error: 'invalid_grant' }, /\(invalid_grant\)\..*expired, was already used.*Run the command again/],
  ['unauthorized_client', { kind: 'oauth-error', error: 'unauthorized_client' }, /\(unauthorized_client\)\..*Use an OAuth client of type "Desktop app"/],
  ['redirect_uri_mismatch', { kind: 'oauth-error', error: 'redirect_uri_mismatch' }, /\(redirect_uri_mismatch\)\..*register .*loopback URI exactly.*Desktop app client/],
];

describe('faults at the token endpoint', () => {
  it.each(cases)('%s: exit 1, the cause and the fix, nothing written', async (_name, fault, message) => {
    const result = await mintAgainstFault(fault);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // The browser was told it worked; the terminal tells what went wrong after.
    expect(result.page.status).toBe(200);
    const errorLines = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain(h.emulator.defaultClient.clientSecret);
    expect(result.tokenRequests).toBeGreaterThanOrEqual(1);
    expect(result.tokenRequests).toBeLessThanOrEqual(2);
    expect(folder()).toEqual(['credentials.json']);
  });

  it('a single 503 is retried once and the mint succeeds', async () => {
    const result = await mintAgainstFault({ kind: 'status', status: 503, times: 1 });
    expect(result.code).toBe(0);
    expect(result.tokenRequests).toBe(2);
    expect(JSON.parse(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8')).refresh_token).toMatch(/\S/);
    expect(folder()).toEqual(['credentials.json', 'token.json']);
  });

  it('a fault leaves an existing output as it was (json with --force, and a .env update)', async () => {
    h.workspace.file('token.json', 'precious token.json\n');
    const env = '# mine\r\nGMAIL_API_REFRESH_TOKEN=old\r\nOTHER=1';
    h.workspace.file('.env', env);
    const json = await mintAgainstFault({ kind: 'status', status: 500 }, ['--force']);
    expect(json.code).toBe(1);
    const update = await mintAgainstFault({ kind: 'reset' }, ['-f', 'env', '-o', '.env']);
    expect(update.code).toBe(1);
    expect(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8')).toBe('precious token.json\n');
    expect(readFileSync(join(h.workspace.dir, '.env'), 'utf8')).toBe(env);
    expect(folder()).toEqual(['.env', 'credentials.json', 'token.json']);
  });

  it('GMAIL_TOKEN_HTTP_TIMEOUT takes whole seconds; unset or empty keeps the 30 s default', () => {
    expect(httpPolicyFrom({ GMAIL_TOKEN_HTTP_TIMEOUT: '1' })).toEqual({ timeoutMs: 1_000 });
    for (const value of [undefined, '']) expect(httpPolicyFrom({ GMAIL_TOKEN_HTTP_TIMEOUT: value })).toEqual({ timeoutMs: 30_000 });
  });
});
