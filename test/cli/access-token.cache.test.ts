import { lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess, runInProcessToEnd } from '../helpers/run-cli.js';
import { holdingProxy } from '../helpers/holding-proxy.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';

const h = useEmulatorHarness();

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  return runInProcessToEnd(args, { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, ...env } });
}

/** The refresh requests Google (the emulator) received since the test's mint. */
function refreshes(): number {
  return h.emulator.received.filter((request) => request.path === '/token' && request.form.grant_type === 'refresh_token').length;
}

async function isLive(token: string): Promise<boolean> {
  return (await fetch(`${h.emulator.origin}/tokeninfo?access_token=${encodeURIComponent(token)}`)).status === 200;
}

const tokenPath = () => join(h.workspace.dir, 'token.json');
const readToken = () => JSON.parse(readFileSync(tokenPath(), 'utf8')) as Record<string, unknown>;

/** Mints token.json, then rewrites its access-token expiry, as an hour later (or any moment) would find it. */
async function mintExpiringAt(expiry: Date): Promise<string> {
  await mintTokenFile(h.emulator, h.workspace.dir);
  const text = readFileSync(tokenPath(), 'utf8').replace(/"expiry": "[^"]+"/, `"expiry": "${expiry.toISOString()}"`);
  writeFileSync(tokenPath(), text, { mode: 0o600 });
  h.emulator.received.length = 0;
  return text;
}

describe('access-token reuses a fresh stored access token', () => {
  it('prints the stored token with no request to Google and leaves token.json untouched', async () => {
    const minted = await mintTokenFile(h.emulator, h.workspace.dir);
    h.emulator.received.length = 0;
    const before = { text: readFileSync(tokenPath(), 'utf8'), mtime: statSync(tokenPath()).mtimeMs };
    const first = await cli(['access-token']);
    const second = await cli(['access-token', '--token-file', 'token.json']);
    for (const result of [first, second]) {
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${minted.token}\n`);
      expect(result.stderr).toBe('');
    }
    expect(h.emulator.received).toEqual([]);
    expect({ text: readFileSync(tokenPath(), 'utf8'), mtime: statSync(tokenPath()).mtimeMs }).toEqual(before);
  });

  it.each([
    ['expired', -3_600_000],
    ['within the 60 s margin', 30_000],
  ])('refreshes a stored token that is %s once, and writes back only token and expiry', async (_, offset) => {
    const old = JSON.parse(await mintExpiringAt(new Date(Date.now() + offset))) as Record<string, unknown>;
    const result = await cli(['access-token']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const printed = result.stdout.trim();
    expect(printed).not.toBe(old.token);
    expect(await isLive(printed)).toBe(true);
    expect(refreshes()).toBe(1);

    const now = readToken();
    expect(Object.keys(now)).toEqual(Object.keys(old));
    expect({ ...now, token: old.token, expiry: old.expiry }).toEqual(old);
    expect(now.token).toBe(printed);
    expect(Date.parse(String(now.expiry))).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(statSync(tokenPath()).mode & 0o777).toBe(0o600);
    expect(readdirSync(h.workspace.dir).sort()).toEqual(['credentials.json', 'token.json']);

    const again = await cli(['access-token']);
    expect(again.stdout).toBe(`${printed}\n`);
    expect(refreshes()).toBe(1);
  });

  it('keeps the layout and fields of a token.json written by another tool', async () => {
    const minted = await mintTokenFile(h.emulator, h.workspace.dir);
    // Python google-auth's to_json(): compact, its own field order, microseconds, no final newline.
    const python = { token: minted.token, refresh_token: minted.refresh_token, token_uri: minted.token_uri, client_id: minted.client_id, client_secret: minted.client_secret, scopes: minted.scopes, universe_domain: 'googleapis.com', account: '', expiry: '2020-01-01T00:00:00.123456Z' };
    writeFileSync(tokenPath(), JSON.stringify(python));
    const result = await cli(['access-token']);
    expect(result.code).toBe(0);
    const text = readFileSync(tokenPath(), 'utf8');
    expect(text).not.toMatch(/\n/);
    expect(JSON.parse(text)).toEqual({ ...python, token: result.stdout.trim(), expiry: expect.stringMatching(/Z$/) });
  });

  it('two calls at once both print a live token and leave a valid token.json', async () => {
    const old = JSON.parse(await mintExpiringAt(new Date(0))) as Record<string, unknown>;
    const results = await Promise.all([cli(['access-token']), cli(['access-token'])]);
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(await isLive(result.stdout.trim())).toBe(true);
    }
    const now = readToken();
    expect(results.map((result) => result.stdout.trim())).toContain(now.token);
    expect({ ...now, token: old.token, expiry: old.expiry }).toEqual(old);
    expect(readdirSync(h.workspace.dir).sort()).toEqual(['credentials.json', 'token.json']);
  });

  it('--no-cache asks Google even for a fresh token, and saves the new one', async () => {
    const minted = await mintTokenFile(h.emulator, h.workspace.dir);
    h.emulator.received.length = 0;
    const result = await cli(['access-token', '--no-cache']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).not.toBe(minted.token);
    expect(refreshes()).toBe(1);
    expect(readToken().token).toBe(result.stdout.trim());
  });

  it('asks Google every time for --token, a .env through --token-file and the environment, and writes nothing', async () => {
    const minted = await mintTokenFile(h.emulator, h.workspace.dir);
    const envText = `GMAIL_API_CLIENT_ID=${minted.client_id}\nGMAIL_API_CLIENT_SECRET=${minted.client_secret}\nGMAIL_API_REFRESH_TOKEN=${minted.refresh_token}\n`;
    const envFile = h.workspace.file('app.env', envText);
    const tokenText = readFileSync(tokenPath(), 'utf8');
    h.emulator.received.length = 0;
    const environment = { GMAIL_API_CLIENT_ID: minted.client_id, GMAIL_API_CLIENT_SECRET: minted.client_secret, GMAIL_API_REFRESH_TOKEN: minted.refresh_token };
    const runs = [
      () => cli(['access-token', '--token', minted.refresh_token ?? '', '-c', 'credentials.json']),
      () => cli(['access-token', '--token-file', 'app.env']),
      () => cli(['access-token'], environment),
    ];
    for (const run of [...runs, ...runs]) {
      const result = await run();
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim()).not.toBe(minted.token);
    }
    expect(refreshes()).toBe(6);
    expect(readFileSync(envFile, 'utf8')).toBe(envText);
    expect(readFileSync(tokenPath(), 'utf8')).toBe(tokenText);
  });
});

describe('access-token never overwrites what it did not read', () => {
  it('leaves a token.json that a new mint replaced during the refresh', async () => {
    const stale = await mintExpiringAt(new Date(0));
    await mintTokenFile(h.emulator, h.workspace.dir);
    const replacement = readFileSync(tokenPath(), 'utf8');
    writeFileSync(tokenPath(), stale);
    const proxy = await holdingProxy(h.emulator.origin);
    const run = runInProcess(['access-token'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: proxy.hostPort } });
    await proxy.held;
    writeFileSync(tokenPath(), replacement);
    proxy.release();
    const result = await run.exit;
    expect(result.code).toBe(0);
    expect(await isLive(result.stdout.trim())).toBe(true);
    expect(result.stderr).toMatch(/changed while the token was refreshed.*left as it is/);
    expect(readFileSync(tokenPath(), 'utf8')).toBe(replacement);
  });

  it('prints a refreshed token but does not replace a token file that is a symbolic link', async () => {
    const stale = await mintExpiringAt(new Date(0));
    writeFileSync(join(h.workspace.dir, 'real.json'), stale);
    symlinkSync('real.json', join(h.workspace.dir, 'linked.json'));
    const result = await cli(['access-token', '--token-file', 'linked.json']);
    expect(result.code).toBe(0);
    expect(await isLive(result.stdout.trim())).toBe(true);
    expect(result.stderr).toMatch(/not saved: Could not read \S*linked\.json to update it \(ELOOP: it is now a symbolic link\).*next call will refresh again/);
    expect(lstatSync(join(h.workspace.dir, 'linked.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(h.workspace.dir, 'real.json'), 'utf8')).toBe(stale);
  });
});

describe('check and the stored access token', () => {
  it.each([
    ['fresh', 3_600_000, true, /stored access token: fresh.*access-token reuses it/],
    ['stale', -60_000, false, /stored access token: stale.*access-token will refresh it/],
  ])('reports a %s one, and never writes token.json', async (_, offset, fresh, line) => {
    const expiry = new Date(Date.now() + offset);
    const text = await mintExpiringAt(expiry);
    const mtime = statSync(tokenPath()).mtimeMs;
    const json = await cli(['check', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ stored_access_token_fresh: fresh, stored_access_token_expiry: expiry.toISOString() });
    const human = await cli(['check']);
    expect(human.stderr).toMatch(line);
    expect(readFileSync(tokenPath(), 'utf8')).toBe(text);
    expect(statSync(tokenPath()).mtimeMs).toBe(mtime);
  });

  it('reports null for env values, which store no access token', async () => {
    const minted = await mintTokenFile(h.emulator, h.workspace.dir);
    const json = await cli(['check', '--json'], { GMAIL_API_CLIENT_ID: minted.client_id, GMAIL_API_CLIENT_SECRET: minted.client_secret, GMAIL_API_REFRESH_TOKEN: minted.refresh_token });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, stored_access_token_fresh: null, stored_access_token_expiry: null });
  });
});
