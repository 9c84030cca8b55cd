import { execFileSync } from 'node:child_process';
import { chownSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runCli, type CliOptions } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';

/**
 * Review 1, findings 2 and 3, through the built CLI and the emulator: file systems and files that
 * are not what the write-time code took for granted.
 */

const NO_HARD_LINKS = fileURLToPath(new URL('../helpers/no-hard-links.mjs', import.meta.url));

const h = useEmulatorHarness();

function path(name: string): string {
  return join(h.workspace.dir, name);
}

async function mintThrough(args: string[], extra: CliOptions = {}, duringConsent: () => void = () => undefined) {
  const run = runCli(['mint', '--no-open', ...args], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort }, ...extra });
  const url = await run.consentUrl();
  duringConsent();
  await followConsent(url);
  return run.exit;
}

function leftovers(): string[] {
  return readdirSync(h.workspace.dir).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'));
}

describe('a file system without hard links (link(2) fails with EPERM, as on vfat or exFAT)', () => {
  const noLinks = { nodeArgs: ['--import', NO_HARD_LINKS] };

  it('mint still creates token.json, complete and 0600', async () => {
    const result = await mintThrough([], noLinks);
    expect(result.stderr).toContain('[test: link(2) fails with EPERM]');
    expect(result.code).toBe(0);
    const token = JSON.parse(readFileSync(path('token.json'), 'utf8')) as Record<string, string>;
    expect(token.type).toBe('authorized_user');
    expect(token.refresh_token).toMatch(/^1\/\//);
    expect(statSync(path('token.json')).mode & 0o777).toBe(0o600);
    expect(leftovers()).toEqual([]);
  });

  it('mint still creates a new .env', async () => {
    const result = await mintThrough(['-f', 'env', '-o', '.env'], noLinks);
    expect(result.code).toBe(0);
    expect(readFileSync(path('.env'), 'utf8')).toMatch(/^GMAIL_API_REFRESH_TOKEN=1\/\/\S+$/m);
    expect(statSync(path('.env')).mode & 0o777).toBe(0o600);
    expect(leftovers()).toEqual([]);
  });
});

describe('a FIFO planted at the output while consent is given', () => {
  it('mint does not hang on it: exit 1, the FIFO left as it is, the token kept beside it, no lock left', async () => {
    const result = await mintThrough(['-f', 'env', '-o', '.env'], {}, () => execFileSync('mkfifo', ['-m', '600', path('.env')]));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\.env is no longer a regular file .* so it was left as it is/);
    expect(statSync(path('.env')).isFIFO()).toBe(true);
    const [keptBeside = 'missing'] = readdirSync(h.workspace.dir).filter((name) => name.startsWith('.env.rescued-'));
    const kept = readFileSync(path(keptBeside), 'utf8');
    expect(kept).toMatch(/^GMAIL_API_REFRESH_TOKEN=1\/\/\S+$/m);
    expect(statSync(path(keptBeside)).mode & 0o777).toBe(0o600);
    expect(result.stderr).toMatch(/it was written to .*\.env\.rescued-\S+ \(mode 0600\) instead/);
    expect(leftovers()).toEqual([]);
  });
});

describe('a FIFO where a stored token is read', () => {
  it.each([['access-token'], ['check'], ['revoke']])('%s refuses it at once (exit 2) instead of waiting for a writer', async (command) => {
    execFileSync('mkfifo', ['-m', '600', path('token.json')]);
    const result = await runCli([command, '--token-file', 'token.json'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } }).exit;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/token\.json is not a regular file\./);
    expect(h.emulator.received).toEqual([]);
  });
});

describe.skipIf(process.geteuid?.() !== 0)('a file owned by another user, updated by root (sudo gmail-token …)', () => {
  const NOBODY = 65_534;

  it('a .env keeps its owner and group after mint updates it, still 0600', async () => {
    const env = h.workspace.file('.env', 'DATABASE_URL=postgres://x\n');
    chownSync(env, NOBODY, NOBODY);
    const result = await mintThrough(['-f', 'env', '-o', '.env']);
    expect(result.code).toBe(0);
    expect(readFileSync(env, 'utf8')).toMatch(/^DATABASE_URL=postgres:\/\/x\nGMAIL_API_CLIENT_ID=/);
    const stats = statSync(env);
    expect([stats.uid, stats.gid, stats.mode & 0o777]).toEqual([NOBODY, NOBODY, 0o600]);
  });

  it('a token.json keeps its owner after access-token writes a refreshed token back', async () => {
    await mintThrough([]);
    const tokenPath = path('token.json');
    const expired = readFileSync(tokenPath, 'utf8').replace(/"expiry": "[^"]+"/, `"expiry": "${new Date(Date.now() - 60_000).toISOString()}"`);
    writeFileSync(tokenPath, expired);
    chownSync(tokenPath, NOBODY, NOBODY);
    const result = await runCli(['access-token'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } }).exit;
    expect(result.code).toBe(0);
    expect(readFileSync(tokenPath, 'utf8')).not.toBe(expired);
    expect(statSync(tokenPath).uid).toBe(NOBODY);
  });
});
