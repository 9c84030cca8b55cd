import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';

/**
 * Review 1, findings 7 and 8, through the built CLI and the emulator: what access-token and
 * revoke do to the token.json they read.
 */

const h = useEmulatorHarness();

function cli(args: string[]) {
  return runInProcessToEnd(args, { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
}

const tokenPath = () => join(h.workspace.dir, 'token.json');

function leftovers(): string[] {
  return readdirSync(h.workspace.dir).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'));
}

describe('access-token and a read-only token.json', () => {
  it('prints a new access token but leaves the file, and its mode 0400, as they were; says so on stderr', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    const expired = readFileSync(tokenPath(), 'utf8').replace(/"expiry": "[^"]+"/, `"expiry": "${new Date(Date.now() - 60_000).toISOString()}"`);
    writeFileSync(tokenPath(), expired);
    chmodSync(tokenPath(), 0o400);
    const result = await cli(['access-token']);
    expect(result.code).toBe(0);
    const printed = result.stdout.trim();
    expect(printed).not.toBe(JSON.parse(expired).token);
    expect((await fetch(`${h.emulator.origin}/tokeninfo?access_token=${encodeURIComponent(printed)}`)).status).toBe(200);
    expect(result.stderr).toMatch(/token\.json is read-only \(mode 0400\), so the new access token was not saved there/);
    expect(result.stderr).not.toContain(printed);
    expect(readFileSync(tokenPath(), 'utf8')).toBe(expired);
    expect(statSync(tokenPath()).mode & 0o777).toBe(0o400);
    expect(leftovers()).toEqual([]);
  });
});

describe('revoke and the token.json the token came from', () => {
  it('removes the revoked access token from it, so access-token fails as for a revoked token instead of printing it', async () => {
    const minted = await mintTokenFile(h.emulator, h.workspace.dir);
    const revoked = await cli(['revoke', '--token-file', 'token.json']);
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toMatch(/Removed the revoked access token and its expiry from token\.json, so access-token cannot print it/);
    const kept = JSON.parse(readFileSync(tokenPath(), 'utf8')) as Record<string, string>;
    expect(kept).toEqual({ ...minted, token: undefined, expiry: undefined });
    expect(statSync(tokenPath()).mode & 0o777).toBe(0o600);
    expect(leftovers()).toEqual([]);

    const after = await cli(['access-token']);
    expect(after.stdout).not.toContain(minted.token);
    expect(after.stdout).toBe('');
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/invalid_grant/);
  });

  it('also when Google says the token was already revoked elsewhere: the stored access token is removed all the same', async () => {
    const minted = await mintTokenFile(h.emulator, h.workspace.dir);
    expect((await cli(['revoke', '--yes', '--token', minted.refresh_token ?? 'missing'])).code).toBe(0);
    const again = await cli(['revoke', '--token-file', 'token.json']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already invalid/);
    expect(again.stderr).toMatch(/Removed the revoked access token and its expiry from token\.json/);
    expect(JSON.parse(readFileSync(tokenPath(), 'utf8'))).toEqual({ ...minted, token: undefined, expiry: undefined });
    const after = await cli(['access-token']);
    expect(after.stdout).toBe('');
    expect(after.code).toBe(1);
  });

  it('a read-only token.json is left as it is, with a warning naming --no-cache', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    chmodSync(tokenPath(), 0o400);
    const before = readFileSync(tokenPath(), 'utf8');
    const revoked = await cli(['revoke', '--token-file', 'token.json']);
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toMatch(/token\.json still holds the revoked access token \(it is read-only \(mode 0400\)\): access-token prints it until it expires unless you pass --no-cache/);
    expect(readFileSync(tokenPath(), 'utf8')).toBe(before);
    expect(statSync(tokenPath()).mode & 0o777).toBe(0o400);
  });
});
