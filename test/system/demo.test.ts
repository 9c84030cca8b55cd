/**
 * `gmail-token demo`: the CLI (in-process) run as a newcomer would, unattended (no display) and through
 * real headless Chromium clicking Allow; --keep; a step that fails; Ctrl-C.
 */
import { parse } from 'dotenv';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeBrowserScript, type BrowserScript } from '../helpers/browser-script.js';
import { redirectUriOf } from '../helpers/browser.js';
import { launchChromium } from '../helpers/chromium.js';
import { runInProcess, runInProcessToEnd, type InProcessRun } from '../helpers/run-cli.js';
import { lacks } from '../helpers/programs.js';
import { isListening, makeWorkspace } from '../helpers/workspace.js';

/** A Linux machine with no display and no SSH: nothing can open a browser. */
const HEADLESS = { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, BROWSER: undefined, SSH_CONNECTION: undefined, SSH_CLIENT: undefined, SSH_TTY: undefined };
/** Emulator secrets have Google's shapes; none may reach the screen. */
const SECRET_SHAPES = [/ya29\./, /1\/\/emu-/, /4\/0emu-/, /GOCSPX-/];
const STEP_LINES = [/✓ mint\s/, /✓ check --send-test\s/, /✓ access-token\s/, /✓ revoke\s/, /✓ check\s+refused \(invalid_grant\)/];

let workspace: ReturnType<typeof makeWorkspace>;
let running: InProcessRun | undefined;
let fakeBrowser: BrowserScript | undefined;

beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(async () => {
  running?.child.kill('SIGINT');
  await running?.exit;
  running = undefined;
  await fakeBrowser?.close();
  fakeBrowser = undefined;
  workspace.cleanup();
});

function demo(args: string[], env: Record<string, string | undefined> = HEADLESS): InProcessRun {
  running = runInProcess(['demo', ...args], { cwd: workspace.dir, env });
  return running;
}

/** A person's $BROWSER on a machine with no display, as in browser.test.ts. */
async function withFakeBrowser(): Promise<Record<string, string | undefined>> {
  fakeBrowser = await makeBrowserScript();
  // Without XDG_CURRENT_DESKTOP, xdg-open on a developer's desktop asks gio/kde-open instead of $BROWSER.
  return { ...HEADLESS, BROWSER: fakeBrowser.path, XDG_CURRENT_DESKTOP: 'X-Generic', XDG_RUNTIME_DIR: undefined };
}

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

function emulatorPort(stderr: string): number {
  return Number(/emulator of Google at http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1]);
}

describe('gmail-token demo, unattended', () => {
  it('with no display approves by itself, runs every step, exits 0 and leaves the folder as it was', async () => {
    workspace.file('notes.txt', 'mine');
    workspace.file('.env', 'OTHER=1\n');
    const before = listing(workspace.dir);
    const result = await demo([]).exit;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/No browser can be opened here: there is no display.*gives consent itself/);
    for (const line of STEP_LINES) expect(result.stderr).toMatch(line);
    expect(result.stderr).toMatch(/\$ gmail-token mint --scope gmail\.send,email/);
    expect(result.stderr).toMatch(/received: From: tester@example\.com {2}To: someone@example\.com {2}Subject: gmail-token test message/);
    expect(result.stderr).toMatch(/Nothing was written here[\s\S]*`gmail-token mint`/);
    for (const shape of SECRET_SHAPES) expect(result.stderr).not.toMatch(shape);
    expect(listing(workspace.dir)).toEqual(before);
    expect(readFileSync(join(workspace.dir, '.env'), 'utf8')).toBe('OTHER=1\n');
  });

  it('--keep writes token.json and .env (0600), marked as the emulator\'s; later commands refuse them', async () => {
    const result = await demo(['--auto-approve', '--keep', 'kept'], {}).exit;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/With --auto-approve/);
    const dir = join(workspace.dir, 'kept');
    expect(listing(workspace.dir)).toEqual(['kept', 'kept/.env', 'kept/token.json']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of ['token.json', '.env']) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    const token = JSON.parse(readFileSync(join(dir, 'token.json'), 'utf8')) as Record<string, string>;
    expect(token.gmail_token_demo).toMatch(/Emulator token from `gmail-token demo`.*revoked/);
    expect(token).toMatchObject({ type: 'authorized_user', account: 'tester@example.com' });
    expect(token.token_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/token$/);
    const env = readFileSync(join(dir, '.env'), 'utf8');
    expect(env).toMatch(/^# gmail_token_demo: Emulator token from `gmail-token demo`/);
    expect(parse(env)).toEqual({ GMAIL_API_CLIENT_ID: token.client_id, GMAIL_API_CLIENT_SECRET: token.client_secret, GMAIL_API_REFRESH_TOKEN: token.refresh_token });

    // Revoked, and the emulator that issued them is gone; a real command says so rather than try.
    for (const [command, file] of [['check', 'kept/token.json'], ['access-token', 'kept/.env'], ['revoke', 'kept/token.json'], ['revoke', 'kept/.env']] as const) {
      const later = await runInProcessToEnd([command, '--token-file', file], { cwd: workspace.dir });
      expect(later.code).toBe(2);
      expect(later.stderr).toContain(`${file} holds an emulator token kept by \`gmail-token demo\``);
    }
  });

  it('--keep refuses a folder that is not empty (exit 2) before starting anything', async () => {
    workspace.file('token.json', '{"real":true}');
    const result = await demo(['--keep', '.']).exit;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--keep .* is not empty/);
    expect(result.stderr).not.toMatch(/emulator of Google at/);
    expect(readFileSync(join(workspace.dir, 'token.json'), 'utf8')).toBe('{"real":true}');
  });
});

describe.skipIf(lacks('chromium'))('gmail-token demo with a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('opens the consent page through $BROWSER; Allow clicked in Chromium completes every step', async () => {
    const run = demo([], await withFakeBrowser());
    const opened = await fakeBrowser!.nextUrl(8_000);
    expect(opened).toBe(await run.consentUrl());
    expect(run.stderr()).toMatch(/Opening the emulator's consent page in your browser: choose Allow/);

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(opened);
      await expect(page.locator('h1').textContent()).resolves.toContain('wants to access your Google Account');
      const loopback = redirectUriOf(opened);
      await Promise.all([page.waitForURL((url) => url.origin === loopback.origin), page.getByRole('button', { name: 'Allow', exact: true }).click()]);
      await expect(page.locator('body').innerText()).resolves.toContain('You can close this tab');
    } finally {
      await context.close();
    }
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/✓ mint\s+you chose Allow; refresh token for tester@example\.com/);
    for (const line of STEP_LINES) expect(result.stderr).toMatch(line);
    expect(listing(workspace.dir)).toEqual([]);
  });

  it('--keep never replaces a token.json put in the folder while consent was pending', async () => {
    const run = demo(['--keep', 'kept'], await withFakeBrowser());
    const opened = await fakeBrowser!.nextUrl(8_000);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(opened);
      // The demo made the folder before consent; a file appears in it meanwhile.
      writeFileSync(join(workspace.dir, 'kept', 'token.json'), '{"real":true}');
      const loopback = redirectUriOf(opened);
      await Promise.all([page.waitForURL((url) => url.origin === loopback.origin), page.getByRole('button', { name: 'Allow', exact: true }).click()]);
    } finally {
      await context.close();
    }
    const result = await run.exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The demo's mint step did not behave as expected: .*kept\/token\.json appeared while consent was given .* and was kept as it is/);
    expect(readFileSync(join(workspace.dir, 'kept', 'token.json'), 'utf8')).toBe('{"real":true}');
    expect(listing(workspace.dir)).toEqual(['kept', 'kept/token.json']);
  });

  it('gives consent itself, and says so, when the browser launcher fails', async () => {
    const failing = workspace.file('failing-browser.sh', '#!/bin/sh\nexit 1\n');
    chmodSync(failing, 0o755);
    const result = await demo([], { ...HEADLESS, BROWSER: failing, XDG_CURRENT_DESKTOP: 'X-Generic' }).exit;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/The browser launcher failed \(exit \d+\): the demo gives consent itself instead\./);
    expect(result.stderr).toMatch(/✓ mint\s+the demo chose Allow/);
    for (const line of STEP_LINES) expect(result.stderr).toMatch(line);
  });

  it('names the step that did not behave as expected and exits 1: no consent within --timeout', async () => {
    const run = demo(['--timeout', '1'], await withFakeBrowser());
    await fakeBrowser!.nextUrl(8_000);
    const result = await run.exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The demo's mint step did not behave as expected: No consent arrived within 1 second/);
    expect(result.stderr).toMatch(/Run the demo again with a longer --timeout, or with --auto-approve to let it give consent itself\./);
    // Advice for a real Google project or for mint does not fit the demo.
    expect(result.stderr).not.toMatch(/Test users|Cloud Console|--manual/);
    expect(result.stderr).not.toMatch(/✓ check/);
  });

  it('Ctrl-C while waiting for consent exits 130 with the emulator and the loopback server stopped', async () => {
    const run = demo([], await withFakeBrowser());
    const consentUrl = await fakeBrowser!.nextUrl(8_000);
    const port = emulatorPort(run.stderr());
    expect(await isListening(port)).toBe(true);
    run.child.kill('SIGINT');
    await run.waitForStderr(/Interrupted; the emulator is stopped/);
    expect(await isListening(port)).toBe(false);
    expect(await isListening(Number(redirectUriOf(consentUrl).port))).toBe(false);
    const result = await run.exit;
    expect(result.code).toBe(130);
    expect(listing(workspace.dir)).toEqual([]);
  });
});
