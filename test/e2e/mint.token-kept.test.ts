import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { changeOutputThenConsent, runOnTerminal } from '../helpers/pty.js';

/**
 * A refresh token Google issued is never dropped silently (SPEC "When a token Google issued cannot
 * be written"): not when stdout's reader has gone, not at Ctrl-C on the rescue question, not at a
 * signal while it is being written. Each case ends with the token in a 0600 file, live, or revoked.
 */

const h = useEmulatorHarness();

function env(extra: Record<string, string> = {}) {
  return { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, ...extra };
}

function path(name: string): string {
  return join(h.workspace.dir, name);
}

/** Rescued copies of `output`: `token.rescued-….json`, `.env.rescued-…`. */
function rescued(output: string, dir = h.workspace.dir): string[] {
  const extension = extname(output);
  const stem = output.slice(0, output.length - extension.length);
  return readdirSync(dir).filter((name) => name.startsWith(`${stem}.rescued-`) && name.endsWith(extension));
}

async function refreshes(refreshToken: string): Promise<boolean> {
  const { clientId, clientSecret } = h.emulator.defaultClient;
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret });
  return (await fetch(`${h.emulator.origin}/token`, { method: 'POST', body })).ok;
}

function refreshTokenIn(text: string): string {
  return /"refresh_token": "([^"]+)"/.exec(text)?.[1] ?? /REFRESH_TOKEN=(\S+)$/m.exec(text)?.[1] ?? '';
}

/** The file holds a live token, is 0600, and what people saw does not quote the token. */
async function expectKept(file: string, shown: string): Promise<void> {
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const refreshToken = refreshTokenIn(readFileSync(file, 'utf8'));
  expect(refreshToken).toMatch(/^1\/\//);
  expect(shown).not.toContain(refreshToken);
  expect(await refreshes(refreshToken)).toBe(true);
}

function noStack(shown: string): void {
  expect(shown).not.toMatch(/\n\s+at |Unhandled 'error' event|Unexpected /);
}

describe('stdout whose reader has gone (EPIPE)', () => {
  it('mint -f env to a closed pipe: the token is kept beside, in the current folder, exit 1', async () => {
    const run = runCli(['mint', '--no-open', '-f', 'env'], { cwd: h.workspace.dir, env: env() });
    const url = await run.consentUrl();
    run.child.stdout?.destroy();
    await followConsent(url);
    const result = await run.exit;
    expect(result.code).toBe(1);
    noStack(result.stderr);
    expect(result.stderr).toMatch(/not written to stdout: stdout could not be written \(EPIPE/);
    const [kept = 'missing'] = rescued('.env');
    expect(result.stderr).toContain(`it was written to ${path(kept)} (mode 0600) instead`);
    await expectKept(path(kept), result.stderr);
  });

  it('--if-unwritable stdout, with the output folder gone and stdout closed: kept in a private temporary folder', async () => {
    mkdirSync(path('gone'));
    const tmp = path('system-tmp');
    mkdirSync(tmp);
    const run = runCli(['mint', '--no-open', '-o', 'gone/token.json', '--if-unwritable', 'stdout'], { cwd: h.workspace.dir, env: env({ TMPDIR: tmp }) });
    const url = await run.consentUrl();
    rmSync(path('gone'), { recursive: true });
    run.child.stdout?.destroy();
    await followConsent(url);
    const result = await run.exit;
    expect(result.code).toBe(1);
    noStack(result.stderr);
    expect(result.stderr).toMatch(/Nor on stdout: stdout could not be written \(EPIPE/);
    const [folder = 'missing'] = readdirSync(tmp);
    expect(statSync(join(tmp, folder)).mode & 0o777).toBe(0o700);
    await expectKept(join(tmp, folder, 'token.json'), result.stderr);
  });
});

describe('Ctrl-C at "Keep the refresh token how?"', () => {
  it('keeps it the non-interactive way, says where, and exits 130', async () => {
    const terminal = runOnTerminal(['mint', '--no-open'], { cwd: h.workspace.dir, env: env() });
    await changeOutputThenConsent(terminal, path('token.json'));
    terminal.type('\u0003');
    const result = await terminal.exit;
    expect(result.code).toBe(130);
    noStack(result.screen);
    expect(readFileSync(path('token.json'), 'utf8')).toBe('{}\n');
    const [kept = 'missing'] = rescued('token.json');
    expect(result.screen.replace(/\n/g, '')).toContain(`Interrupted. The refresh token was not written to ${path('token.json')}; it was written to ${path(kept)}`);
    await expectKept(path(kept), result.screen);
  });
});

describe('signals once Google issued the token (its write held by another run\'s lock)', () => {
  /** Starts mint with token.json's lock held by this (live) process, and gives consent. */
  async function mintHeldByLock() {
    writeFileSync(path('.token.json.gmail-token.lock'), `${process.pid}\n`);
    const run = runCli(['mint', '--no-open'], { cwd: h.workspace.dir, env: env() });
    await followConsent(await run.consentUrl());
    await run.waitForStderr(/gmail-token\.lock is there: another gmail-token run may be writing .*token\.json; waiting up to 5 s/);
    run.child.kill('SIGINT');
    await run.waitForStderr(/the refresh token Google issued is being written first/);
    return run;
  }

  it('a second SIGINT keeps it beside the output at once and exits 130', async () => {
    const run = await mintHeldByLock();
    run.child.kill('SIGINT');
    const result = await run.exit;
    expect(result.code).toBe(130);
    noStack(result.stderr);
    expect(existsSync(path('token.json'))).toBe(false);
    const [kept = 'missing'] = rescued('token.json');
    expect(result.stderr).toContain(`it was written to ${path(kept)} (mode 0600) instead`);
    await expectKept(path(kept), result.stderr);
  });

  it('after one SIGINT the write finishes once the lock is free, then exit 130 saying so', async () => {
    const run = await mintHeldByLock();
    unlinkSync(path('.token.json.gmail-token.lock'));
    const result = await run.exit;
    expect(result.code).toBe(130);
    noStack(result.stderr);
    // Under heavy load the 5 s patience may run out first: then it is kept beside. Never dropped.
    const [kept = 'token.json'] = rescued('token.json');
    expect(result.stderr).toMatch(kept === 'token.json' ? /Refresh token written to token\.json[^]*Interrupted, after the refresh token was kept as shown above/ : /Interrupted\. The refresh token was not written/);
    await expectKept(path(kept), result.stderr);
  });
});
