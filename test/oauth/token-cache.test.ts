import { chmodSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { UsageError } from '../../src/core/errors.js';
import type { MintedToken } from '../../src/core/output.js';
import type { StoredToken } from '../../src/core/stored-token.js';
import { findStoredToken } from '../../src/oauth/stored-token.js';
import { accessTokenFor, forgetRevokedAccess } from '../../src/oauth/token-cache.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { writeMintedToken } from '../helpers/mint.js';

const h = useEmulatorHarness();

let minted: MintedToken;
let path: string;
let written: string;
const endpoints = () => resolveEndpoints({ emulatorHost: h.emulator.hostPort });
const secrets = () => ({ clientId: minted.clientId, clientSecret: minted.clientSecret });

beforeEach(async () => {
  ({ minted, path, written } = await writeMintedToken(h));
});

const stored = () => findStoredToken({ tokenFile: path, envPrefix: 'GMAIL_', env: {}, cwd: h.workspace.dir });
const refreshes = () => h.emulator.received.filter((r) => r.path === '/token' && r.form['grant_type'] === 'refresh_token');
const leftovers = () => readdirSync(h.workspace.dir).filter((name) => name !== 'token.json' && name !== 'credentials.json');
const live = async (token: string) => (await fetch(`${h.emulator.origin}/tokeninfo?access_token=${encodeURIComponent(token)}`)).status === 200;

async function accessToken(token: StoredToken, options: { noCache?: boolean; now?: Date; timeoutMs?: number } = {}) {
  const warnings: string[] = [];
  const printed = await accessTokenFor({
    stored: token,
    secrets: secrets(),
    endpoints: endpoints(),
    noCache: options.noCache ?? false,
    now: () => options.now ?? new Date(),
    warn: (line) => warnings.push(line),
    http: options.timeoutMs === undefined ? undefined : { timeoutMs: options.timeoutMs },
  });
  for (const line of warnings) {
    expect(line).not.toContain(printed);
    expect(line).not.toContain(minted.refreshToken);
  }
  return { printed, warnings };
}

/** The token.json bytes after a write-back of `printed`: only token and expiry changed, in place. */
function expectWrittenBack(printed: string): void {
  const now = readFileSync(path, 'utf8');
  const expiry = (JSON.parse(now) as { expiry: string }).expiry;
  expect(new Date(expiry).getTime()).toBeGreaterThan(minted.expiry.getTime() - 1000);
  expect(now).toBe(written.replace(minted.accessToken, printed).replace(minted.expiry.toISOString(), expiry));
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(leftovers()).toEqual([]);
}

describe('access-token reuses only a fresh stored token', () => {
  it('prints the stored access token while it is fresh: no refresh, no write', async () => {
    const { printed, warnings } = await accessToken(await stored());
    expect(printed).toBe(minted.accessToken);
    expect(refreshes()).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(written);
    expect(warnings).toEqual([]);
  });

  it('refreshes a stale one, prints the new token and writes it and its expiry back, every other byte kept', async () => {
    const { printed, warnings } = await accessToken(await stored(), { now: new Date(minted.expiry.getTime() - 30_000) });
    expect(printed).not.toBe(minted.accessToken);
    expect(await live(printed)).toBe(true);
    expect(refreshes()).toHaveLength(1);
    expect(refreshes()[0]?.form['refresh_token']).toBe(minted.refreshToken);
    expectWrittenBack(printed);
    expect(warnings).toEqual([]);
  });

  it('--no-cache asks Google even for a fresh one, and still saves the new token', async () => {
    const { printed, warnings } = await accessToken(await stored(), { noCache: true });
    expect(printed).not.toBe(minted.accessToken);
    expect(refreshes()).toHaveLength(1);
    expectWrittenBack(printed);
    expect(warnings).toEqual([]);
  });

  it('a token from elsewhere than a file is refreshed and written nowhere', async () => {
    const { printed, warnings } = await accessToken({ source: '$GMAIL_REFRESH_TOKEN', refreshToken: minted.refreshToken });
    expect(await live(printed)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(written);
    expect(warnings).toEqual([]);
  });

  it('a stale access token stored without a refresh token cannot be renewed', async () => {
    const token: StoredToken = { source: 'token.json', accessToken: minted.accessToken, accessTokenExpiry: new Date(Date.now() - 1000), file: path };
    const failure = accessToken(token);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow('token.json holds no refresh token, so no new access token can be made. Use the token.json or env lines from `gmail-token mint`.');
    expect(refreshes()).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(written);
  });
});

describe('a silent Google', () => {
  it('is given up on after the configured time, and the file is left as it was', async () => {
    h.emulator.behaviour.tokenFault = { kind: 'hang' };
    const failure = accessToken(await stored(), { noCache: true, timeoutMs: 100 });
    await expect(failure).rejects.toThrow(/^Refreshing the token failed: Google did not answer in time\. Check your network and try again\.$/);
    expect(readFileSync(path, 'utf8')).toBe(written);
  });
});

describe('the write-back leaves alone what is not its own', () => {
  const stale = async () => ({ token: await stored(), now: new Date(minted.expiry.getTime() - 30_000) });

  it('a token.json that now holds another refresh token (a new mint) keeps its bytes', async () => {
    const { token, now } = await stale();
    const other = written.replace(minted.refreshToken, 'another-refresh-token');
    writeFileSync(path, other);
    const { printed, warnings } = await accessToken(token, { now });
    expect(await live(printed)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(other);
    expect(warnings).toEqual([`${path} changed while the token was refreshed (a new mint?), so it was left as it is.`]);
  });

  it('a token.json removed meanwhile is not created again', async () => {
    const { token, now } = await stale();
    rmSync(path);
    const { warnings } = await accessToken(token, { now });
    expect(readdirSync(h.workspace.dir)).toEqual(['credentials.json']);
    expect(warnings).toEqual([`${path} changed while the token was refreshed (a new mint?), so it was left as it is.`]);
  });

  it('a read-only token.json keeps its bytes and its mode', async () => {
    const { token, now } = await stale();
    chmodSync(path, 0o440);
    const { printed, warnings } = await accessToken(token, { now });
    expect(await live(printed)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(written);
    expect(statSync(path).mode & 0o777).toBe(0o440);
    expect(warnings).toEqual([`${path} is read-only (mode 0440), so the new access token was not saved there; the next call will refresh again.`]);
  });

  it('a token.json that became a link is not written through', async () => {
    const { token, now } = await stale();
    const target = join(h.workspace.dir, 'elsewhere.json');
    writeFileSync(target, written);
    rmSync(path);
    symlinkSync(target, path);
    const { printed, warnings } = await accessToken(token, { now });
    expect(await live(printed)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(written);
    expect(warnings).toEqual([
      `The new access token was not saved: Could not read ${path} to update it (ELOOP: it is now a symbolic link); nothing was changed. The next call will refresh again.`,
    ]);
  });
});

describe('revoke forgets the stored access token', () => {
  const lock = () => join(h.workspace.dir, '.token.json.gmail-token.lock');

  it('removes token and expiry from the file of the revoked token, nothing else', async () => {
    expect(await forgetRevokedAccess(await stored())).toEqual({
      said: `Removed the revoked access token and its expiry from ${path}, so access-token cannot print it.`,
      warning: false,
    });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ...JSON.parse(written), token: undefined, expiry: undefined });
    expect(readFileSync(path, 'utf8')).toMatch(/^\{\n {2}"type": "authorized_user",\n[^]*\n\}\n$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(leftovers()).toEqual([]);
  });

  it('says nothing, and changes nothing, for a token not from a file, a file of another token, or one with no access token', async () => {
    expect(await forgetRevokedAccess({ source: '--token', refreshToken: minted.refreshToken })).toBeUndefined();
    const token = await stored();
    const other = written.replace(minted.refreshToken, 'another-refresh-token');
    writeFileSync(path, other);
    expect(await forgetRevokedAccess(token)).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe(other);
    const bare = JSON.stringify({ refresh_token: minted.refreshToken });
    writeFileSync(path, bare);
    expect(await forgetRevokedAccess(token)).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe(bare);
  });

  it('warns, naming why, when the file is read-only or not a file it writes', async () => {
    const token = await stored();
    chmodSync(path, 0o400);
    expect(await forgetRevokedAccess(token)).toEqual({
      said: `${path} still holds the revoked access token (it is read-only (mode 0400)): access-token prints it until it expires unless you pass --no-cache or delete the file.`,
      warning: true,
    });
    expect(readFileSync(path, 'utf8')).toBe(written);
    expect(statSync(path).mode & 0o777).toBe(0o400);
    rmSync(path);
    symlinkSync(join(h.workspace.dir, 'credentials.json'), path);
    expect(await forgetRevokedAccess(token)).toEqual({
      said: `${path} still holds the revoked access token: access-token prints it until it expires unless you pass --no-cache or delete the file. Could not read ${path} to update it (ELOOP: it is now a symbolic link); nothing was changed.`,
      warning: true,
    });
  });

  it('while another run holds the lock, neither it nor a write-back touches the file, and both say so', async () => {
    writeFileSync(lock(), `${process.ppid}\n`);
    const token = await stored();
    const [forgotten, refreshed] = await Promise.all([
      forgetRevokedAccess(token),
      accessToken(token, { now: new Date(minted.expiry.getTime() - 30_000) }),
    ]);
    expect(forgotten).toEqual({
      said: `${path} still holds the revoked access token (another gmail-token run is writing it): access-token prints it until it expires unless you pass --no-cache or delete the file.`,
      warning: true,
    });
    expect(refreshed.warnings).toEqual([`Another gmail-token run is writing ${path}, so the new access token was not saved there; the next call will refresh again.`]);
    expect(readFileSync(path, 'utf8')).toBe(written);
  });
});
