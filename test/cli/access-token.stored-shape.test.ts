/**
 * access-token prints a stored access token only when it has a bearer token's shape and an
 * expiry Google could have given (review finding 6); anything else is refreshed, through the CLI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';

const h = useEmulatorHarness();
const tokenPath = () => join(h.workspace.dir, 'token.json');

function refreshes(): number {
  return h.emulator.received.filter((request) => request.path === '/token' && request.form.grant_type === 'refresh_token').length;
}

/** Mints token.json, then gives it the stored access token and expiry a tampered or odd file would hold. */
async function mintThenStore(fields: { token?: string; expiry?: string }): Promise<void> {
  await mintTokenFile(h.emulator, h.workspace.dir);
  const file = JSON.parse(readFileSync(tokenPath(), 'utf8')) as Record<string, unknown>;
  writeFileSync(tokenPath(), JSON.stringify({ ...file, ...fields }, null, 2) + '\n', { mode: 0o600 });
  h.emulator.received.length = 0;
}

describe('access-token and a stored access token it must not print', () => {
  it('refreshes instead of printing a stored token with CR LF, so no header can be injected into curl -H', async () => {
    await mintThenStore({ token: 'ya29.a\r\nX-Injected: 1', expiry: new Date(Date.now() + 1_800_000).toISOString() });
    const result = await runInProcessToEnd(['access-token'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^[A-Za-z0-9._~+/-]+=*\n$/);
    expect(result.stdout).not.toContain('X-Injected');
    expect(refreshes()).toBe(1);
    expect(JSON.parse(readFileSync(tokenPath(), 'utf8'))).toMatchObject({ token: result.stdout.trim() });
  });

  it('refreshes a stored token whose expiry is years away (2099), which Google never gives', async () => {
    await mintThenStore({ token: 'ya29.stale-for-ever', expiry: '2099-01-01T00:00:00.000Z' });
    const result = await runInProcessToEnd(['access-token'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toBe('ya29.stale-for-ever\n');
    expect(refreshes()).toBe(1);
    const saved = JSON.parse(readFileSync(tokenPath(), 'utf8')) as { expiry: string };
    expect(new Date(saved.expiry).getFullYear()).toBeLessThan(2099);
  });
});
