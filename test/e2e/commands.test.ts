/**
 * The thin black-box layer: each command once through bin/gmail-token.js and the built bundle, as
 * people run it, with real signals and a real stdin. Everything else about the commands is tested
 * in-process (test/cli), which runs the same program through main().
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runCli, runCliToEnd } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';

const h = useEmulatorHarness();
const env = () => ({ GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort });

describe('the shipped CLI, one run of each command', () => {
  it('--version, and a usage error: exit 2, one line, nothing on stdout', async () => {
    const version = await runCliToEnd(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
    const usage = await runCliToEnd(['mint', '--format', 'yaml']);
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toMatch(/argument 'yaml' is invalid/);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('mint, check, access-token and revoke on one token: exits 0, 0, 0, 0 and the token stops working', async () => {
    const mint = runCli(['mint', '--no-open', '-s', 'send,email'], { cwd: h.workspace.dir, env: env() });
    await followConsent(await mint.consentUrl());
    expect((await mint.exit).code).toBe(0);
    expect(statSync(join(h.workspace.dir, 'token.json')).mode & 0o777).toBe(0o600);
    const check = await runCliToEnd(['check', '--json'], { cwd: h.workspace.dir, env: env() });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, account: 'tester@example.com' });
    const access = await runCliToEnd(['access-token'], { cwd: h.workspace.dir, env: env() });
    expect(access.code).toBe(0);
    expect(access.stdout).toMatch(/^\S+\n$/);
    const revoke = await runCliToEnd(['revoke'], { cwd: h.workspace.dir, env: env() });
    expect(revoke.code).toBe(0);
    expect(revoke.stderr).toMatch(/Revoked the refresh token from token\.json/);
    expect((await runCliToEnd(['check'], { cwd: h.workspace.dir, env: env() })).code).toBe(1);
  });

  it('mint --manual reads the redirected URL from a real pipe', async () => {
    const run = runCli(['mint', '--manual'], { cwd: h.workspace.dir, env: env(), keepStdinOpen: true });
    const url = await run.consentUrl();
    await run.waitForStderr(/paste it here/);
    const redirected = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
    run.child.stdin?.end(redirected + '\n');
    expect((await run.exit).code).toBe(0);
    expect(JSON.parse(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8'))).toMatchObject({ type: 'authorized_user' });
  });

  it('a real SIGINT while mint waits for consent: exit 130, nothing written', async () => {
    const run = runCli(['mint', '--no-open'], { cwd: h.workspace.dir, env: env() });
    await run.consentUrl();
    run.child.kill('SIGINT');
    const result = await run.exit;
    expect(result.code).toBe(130);
    expect(() => statSync(join(h.workspace.dir, 'token.json'))).toThrow();
  });

  it('the emulator prints host:port on stdout and stops on SIGINT with 130, on SIGTERM with 0', async () => {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 0]] as const) {
      const run = runCli(['emulator']);
      await run.waitForStderr(/Press Ctrl-C to stop/);
      expect(run.stdout()).toMatch(/^127\.0\.0\.1:\d+\n$/);
      run.child.kill(signal);
      expect((await run.exit).code).toBe(code);
    }
  });

  it('demo runs every step unattended with no display and exits 0, stdout empty', async () => {
    const headless = { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, BROWSER: undefined };
    const result = await runCliToEnd(['demo'], { cwd: h.workspace.dir, env: headless });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Every step behaved as it does against Google/);
  });
});
