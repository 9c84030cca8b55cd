import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateAtWriteTime } from '../../src/oauth/write-time.js';
import { runInProcess, runInProcessToEnd } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { holdingProxy } from '../helpers/holding-proxy.js';
import { mintTokenFile } from '../helpers/mint.js';

/**
 * access-token's write-back into token.json goes through mint's write-time mechanism: the same
 * lock beside the file, the same compare right before the rename. Through the built CLI.
 */

const h = useEmulatorHarness();

const path = (name: string) => join(h.workspace.dir, name);
const LOCK = '.token.json.gmail-token.lock';

async function isLive(token: string): Promise<boolean> {
  return (await fetch(`${h.emulator.origin}/tokeninfo?access_token=${encodeURIComponent(token)}`)).status === 200;
}

/** A minted token.json whose access token has expired, so the next access-token refreshes and writes back. */
async function staleTokenFile(): Promise<string> {
  await mintTokenFile(h.emulator, h.workspace.dir);
  const text = readFileSync(path('token.json'), 'utf8').replace(/"expiry": "[^"]+"/, `"expiry": "${new Date(0).toISOString()}"`);
  writeFileSync(path('token.json'), text, { mode: 0o600 });
  return text;
}

function accessToken() {
  return runInProcessToEnd(['access-token'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
}

describe('access-token takes the lock mint takes beside token.json', () => {
  it('a lock held by a live run: the token is printed (exit 0), token.json and the lock are left as they are', async () => {
    const stale = await staleTokenFile();
    // Another live process: since these runs are in-process, our own pid is this run's, which holds no lock.
    writeFileSync(path(LOCK), `${process.ppid}\n`);
    const result = await accessToken();
    expect(result.code).toBe(0);
    expect(await isLive(result.stdout.trim())).toBe(true);
    expect(result.stderr).toMatch(/Another gmail-token run is writing .*token\.json, so the new access token was not saved there; the next call will refresh again/);
    expect(readFileSync(path('token.json'), 'utf8')).toBe(stale);
    expect(readFileSync(path(LOCK), 'utf8')).toBe(`${process.ppid}\n`);
  });

  it('a lock left by a run that no longer exists is cleared, and the token written back', async () => {
    await staleTokenFile();
    writeFileSync(path(LOCK), '999999999\n');
    const result = await accessToken();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect((JSON.parse(readFileSync(path('token.json'), 'utf8')) as { token: string }).token).toBe(result.stdout.trim());
    expect(readdirSync(h.workspace.dir).sort()).toEqual(['credentials.json', 'token.json']);
  });

  it('a mint --force that lands during the refresh keeps its token.json byte for byte', async () => {
    await staleTokenFile();
    const proxy = await holdingProxy(h.emulator.origin);
    const run = runInProcess(['access-token'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: proxy.hostPort } });
    await proxy.held;
    const minted = await mintTokenFile(h.emulator, h.workspace.dir);
    const mintWrote = readFileSync(path('token.json'));
    proxy.release();
    const result = await run.exit;
    expect(result.code).toBe(0);
    expect(await isLive(result.stdout.trim())).toBe(true);
    expect(result.stderr).toMatch(/changed while the token was refreshed.*left as it is/);
    expect(readFileSync(path('token.json')).equals(mintWrote)).toBe(true);
    expect(await isLive(minted.token ?? '')).toBe(true);
    expect(existsSync(path(LOCK))).toBe(false);
  });

  it('four calls at once all print a live token, and token.json holds one of them with nothing left beside it', async () => {
    const stale = JSON.parse(await staleTokenFile()) as Record<string, unknown>;
    const results = await Promise.all([accessToken(), accessToken(), accessToken(), accessToken()]);
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(await isLive(result.stdout.trim())).toBe(true);
    }
    const now = JSON.parse(readFileSync(path('token.json'), 'utf8')) as Record<string, unknown>;
    expect(results.map((result) => result.stdout.trim())).toContain(now.token);
    expect({ ...now, token: stale.token, expiry: stale.expiry }).toEqual(stale);
    expect(readdirSync(h.workspace.dir).sort()).toEqual(['credentials.json', 'token.json']);
  });
});

describe('an update that finds a file it must not write', () => {
  it('leaves it byte for byte, returns false, and leaves no lock or temporary file', async () => {
    const file = h.workspace.file('token.json', '{"refresh_token": "someone else\'s"}\n');
    const written = await updateAtWriteTime(file, () => undefined);
    expect(written).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('{"refresh_token": "someone else\'s"}\n');
    expect(readdirSync(h.workspace.dir).sort()).toEqual(['credentials.json', 'token.json']);
  });
});
