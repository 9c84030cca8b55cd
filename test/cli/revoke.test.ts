import { beforeEach, describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { mintTokenFile } from '../helpers/mint.js';
import { makeWorkspace } from '../helpers/workspace.js';
import { useEmulatorHarness } from '../helpers/harness.js';

const h = useEmulatorHarness();
let token: Record<string, string>;

beforeEach(async () => {
  token = await mintTokenFile(h.emulator, h.workspace.dir);
  h.emulator.received.length = 0;
});

function revoke(args: string[], env: Record<string, string | undefined> = {}) {
  return runInProcessToEnd(['revoke', ...args], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, ...env } });
}

function revokedTokens(): string[] {
  return h.emulator.received.filter((request) => request.path === '/revoke').map((request) => request.query.token ?? request.form.token ?? '');
}

describe('revoke', () => {
  it('revokes the refresh token of ./token.json, and a second time says it is already invalid (exit 0)', async () => {
    const first = await revoke([]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/Revoked the refresh token from token\.json/);
    expect(revokedTokens()).toEqual([token.refresh_token]);
    const second = await revoke([]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/already invalid/);
    for (const result of [first, second]) {
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toContain(token.refresh_token);
    }
  });

  it('ends the grant: the refresh token no longer refreshes', async () => {
    await revoke([]);
    const response = await fetch(`${h.emulator.origin}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh_token ?? '', client_id: token.client_id ?? '', client_secret: token.client_secret ?? '' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('takes --token first, then --token-file (a token.json or a .env), then the environment', async () => {
    h.workspace.file('other.json', JSON.stringify({ refresh_token: 'from-file' }));
    h.workspace.file('.env', 'GMAIL_API_REFRESH_TOKEN=from-env-file\n');
    const env = { GMAIL_API_REFRESH_TOKEN: 'from-environment' };
    const results = [
      await revoke(['--token', 'from-flag', '--token-file', 'other.json'], env),
      await revoke(['--token-file', 'other.json'], env),
      await revoke(['--token-file', '.env'], env),
      await revoke([], env),
      await revoke(['--env-prefix', 'NOPE_'], env),
    ];
    expect(revokedTokens()).toEqual(['from-flag', 'from-file', 'from-env-file', 'from-environment', token.refresh_token]);
    // Google does not know the four made-up tokens: already invalid, which is still exit 0.
    expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0, 0]);
    for (const result of results.slice(0, 4)) expect(result.stderr).toMatch(/already invalid/);
    expect(results[4]?.stderr).toMatch(/Revoked the refresh token from token\.json/);
  });

  it('revokes an access token when that is all there is', async () => {
    h.workspace.file('access.json', JSON.stringify({ token: token.token }));
    const result = await revoke(['--token-file', 'access.json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Revoked the access token/);
    expect(revokedTokens()).toEqual([token.token]);
  });

  it('exits 2 when there is no token anywhere', async () => {
    const empty = makeWorkspace();
    try {
      const result = await runInProcessToEnd(['revoke'], { cwd: empty.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, GMAIL_API_REFRESH_TOKEN: undefined } });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/No token found.*--token/);
    } finally {
      empty.cleanup();
    }
  });

  it('exits 1 when Google cannot be reached', async () => {
    const result = await revoke([], { GMAIL_TOKEN_EMULATOR_HOST: '127.0.0.1:9' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not reach Google/);
    expect(result.stderr).not.toContain(token.refresh_token);
  });
});
