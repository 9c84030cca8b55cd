import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOGLE_ISSUER, parseCallback, parsePasted } from '../../src/core/consent.js';
import { parseCredentials } from '../../src/core/credentials.js';
import { acceptedIssuers, resolveEndpoints } from '../../src/core/endpoints.js';
import { InterruptedError } from '../../src/core/errors.js';
import { NOT_A_TEST_USER } from '../../src/emulator/index.js';
import { mintToken, type MintEffects, type MintRequest } from '../../src/oauth/mint.js';
import { until } from '../helpers/async.js';
import { followConsent } from '../helpers/browser.js';
import { runInProcess } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';

/** What Google's redirect really carries, and a consent that never comes back (issue 10, items 2 and 5). */

const h = useEmulatorHarness();
const SEND = 'https://www.googleapis.com/auth/gmail.send';
const EMAIL = 'https://www.googleapis.com/auth/userinfo.email';

function mintCli(args: string[]) {
  return runInProcess(['mint', '--no-open', ...args], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
}

async function redirectOf(consentUrl: string): Promise<string> {
  const response = await fetch(consentUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location') ?? '';
}

function tokenFile(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8')) as Record<string, unknown>;
}

describe("the emulator's redirect, as Google sends it", () => {
  it('carries state, iss, code, form-encoded scope with the short names, authuser and prompt', async () => {
    const run = mintCli(['-s', 'send,email']);
    const location = await redirectOf(await run.consentUrl());
    const query = location.slice(location.indexOf('?') + 1);
    expect(query.split('&').map((pair) => pair.split('=')[0])).toEqual(['state', 'iss', 'code', 'scope', 'authuser', 'prompt']);
    expect(query).toContain('iss=https%3A%2F%2Faccounts.google.com&');
    expect(query).toContain(`scope=email+${encodeURIComponent(SEND)}+${encodeURIComponent(EMAIL)}&`);
    expect(query).toMatch(/&authuser=0&prompt=consent$/);
    expect((await fetch(location)).status).toBe(200);
    expect((await run.exit).code).toBe(0);
  });

  it('adds hd for a Workspace account, and the loopback server takes it all: exit 0, every scope kept', async () => {
    const run = mintCli(['-s', 'send,email,profile,openid', '--login-hint', 'boss@workspace.example']);
    const page = await followConsent(await run.consentUrl());
    const params = new URL(page.location).searchParams;
    expect(params.get('hd')).toBe('workspace.example');
    expect(params.get('scope')?.split(' ').slice(0, 2)).toEqual(['email', 'profile']);
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/not granted|unticked/i);
    const result = await run.exit;
    expect(result.code).toBe(0);
    expect(tokenFile()).toMatchObject({ account: 'boss@workspace.example', scopes: expect.arrayContaining([SEND, EMAIL, 'openid']) });
  });

  it('sends no hd for a consumer account', async () => {
    const run = mintCli([]);
    const location = await redirectOf(await run.consentUrl());
    expect(new URL(location).searchParams.has('hd')).toBe(false);
    run.child.kill();
    await run.exit;
  });
});

describe('the issuer on the redirect (RFC 9207)', () => {
  it("accepts the emulator's own issuer under GMAIL_TOKEN_EMULATOR_HOST", async () => {
    h.emulator.behaviour.issuer = h.emulator.origin;
    const run = mintCli([]);
    const page = await followConsent(await run.consentUrl());
    expect(new URL(page.location).searchParams.get('iss')).toBe(h.emulator.origin);
    expect(page.status).toBe(200);
    expect((await run.exit).code).toBe(0);
  });

  it('refuses another issuer with 400 and keeps waiting for the real answer', async () => {
    h.emulator.behaviour.issuer = 'https://accounts.evil.example';
    const run = mintCli([]);
    const forged = await followConsent(await run.consentUrl());
    expect(forged.status).toBe(400);
    expect(forged.body).toMatch(/issuer \(iss\)/);
    expect(run.child.exitCode).toBeNull();
    const real = forged.location.replace(/iss=[^&]*/, `iss=${encodeURIComponent(GOOGLE_ISSUER)}`);
    expect((await fetch(real)).status).toBe(200);
    expect((await run.exit).code).toBe(0);
  });

  it('parseCallback: Google, a listed issuer or none is fine; another, or two, is refused', () => {
    const expected = { path: '/cb', state: 's' };
    const target = (iss: string) => `/cb?state=s&${iss}code=c`;
    expect(parseCallback(target(''), expected).kind).toBe('code');
    expect(parseCallback(target('iss=https%3A%2F%2Faccounts.google.com&'), expected).kind).toBe('code');
    expect(parseCallback(target('iss=http%3A%2F%2F127.0.0.1%3A9&'), expected).kind).toBe('rejected');
    expect(parseCallback(target('iss=http%3A%2F%2F127.0.0.1%3A9&'), { ...expected, issuers: acceptedIssuers('127.0.0.1:9') }).kind).toBe('code');
    expect(parseCallback(target('iss=https%3A%2F%2Faccounts.google.com&iss=https%3A%2F%2Faccounts.google.com&'), expected).kind).toBe('rejected');
    expect(parseCallback('/cb?state=s&iss=https%3A%2F%2Fevil.example&error=access_denied', expected).kind).toBe('rejected');
    expect(acceptedIssuers(undefined)).toEqual([GOOGLE_ISSUER]);
  });

  it('--manual refuses a pasted redirect from another issuer, saying why', () => {
    const pasted = parsePasted('http://127.0.0.1:1/cb?state=s&iss=https%3A%2F%2Fevil.example&code=c', { path: '/cb', state: 's' });
    expect(pasted).toEqual({ kind: 'invalid', problem: expect.stringMatching(/refused: its issuer \(iss\) is not the one consent was asked of/) });
  });
});

describe('a consent that never comes back', () => {
  const request = (overrides: Partial<MintRequest> = {}): MintRequest => ({
    client: parseCredentials(JSON.stringify(h.emulator.credentialsFile()), 'credentials.json'),
    clientSource: 'credentials.json',
    scopes: [SEND],
    endpoints: resolveEndpoints({ emulatorHost: h.emulator.hostPort }),
    port: 0,
    timeoutSeconds: 300,
    openBrowser: true,
    manual: false,
    loginHint: NOT_A_TEST_USER,
    ...overrides,
  });

  it("the emulator shows Google's Error 403: access_denied page to an account that is not a test user, and no redirect", async () => {
    const run = mintCli(['--login-hint', NOT_A_TEST_USER]);
    const response = await fetch(await run.consentUrl(), { redirect: 'manual' });
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
    const page = await response.text();
    expect(page).toContain('Error 403: access_denied');
    expect(page).toMatch(/can only be accessed by developer-approved testers/);
    run.child.kill();
    await run.exit;
  });

  it('after a while, says what to check while still waiting; the reminder ends with the wait', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const pages: number[] = [];
    let remind: (() => void) | undefined;
    let cancelled = false;
    const fx: MintEffects = {
      openUrl: async (url) => void pages.push((await fetch(url, { redirect: 'manual' })).status),
      tell: (line) => lines.push(line),
      readPasted: () => Promise.reject(new Error('not in manual mode')),
      signal: controller.signal,
      now: () => new Date(),
      remindWhileWaiting: (run) => {
        remind = run;
        return () => (cancelled = true);
      },
    };
    const minting = mintToken(request(), fx);
    await until(() => remind !== undefined && pages.length === 1);
    expect(pages).toEqual([403]);
    expect(lines.some((line) => line.startsWith('Still waiting'))).toBe(false);
    remind?.();
    expect(lines.at(-1)).toMatch(/^Still waiting for consent\. If Google shows "Error 403: access_denied".*Test users on the OAuth consent screen \(Audience page\).*Workspace account, ask its admin/);
    controller.abort(new InterruptedError());
    await expect(minting).rejects.toBeInstanceOf(InterruptedError);
    expect(cancelled).toBe(true);
  });

  it('the timeout message names the same causes (CLI, --timeout 1)', async () => {
    const run = mintCli(['--login-hint', NOT_A_TEST_USER, '--timeout', '1']);
    expect((await fetch(await run.consentUrl())).status).toBe(403);
    const result = await run.exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No consent arrived within 1 second; nothing was written\. If Google shows "Error 403: access_denied".*Test users on the OAuth consent screen \(Audience page\).*ask its admin whether a policy blocks the app\. Otherwise run again \(--timeout to wait longer\)/);
    expect(result.stdout).toBe('');
  });
});
