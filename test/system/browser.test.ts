/**
 * End to end with a real browser: headless Chromium follows the consent URL of the built CLI to
 * the emulator's consent page, clicks as a person would, and lands on the loopback server's
 * success or error page. Needs Debian's chromium at /usr/bin/chromium: skips without it, except
 * under CI, where it fails.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { redirectUriOf } from '../helpers/browser.js';
import { makeBrowserScript, type BrowserScript } from '../helpers/browser-script.js';
import { launchChromium } from '../helpers/chromium.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { lacks } from '../helpers/programs.js';
import { makeWorkspace } from '../helpers/workspace.js';

const SEND = 'https://www.googleapis.com/auth/gmail.send';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

let browser: Browser;
let emulator: Emulator;
let context: BrowserContext;
let page: Page;
let workspace: ReturnType<typeof makeWorkspace>;

beforeAll(async () => {
  emulator = await startEmulator({ behaviour: { consent: 'page' } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

beforeEach(async () => {
  emulator.behaviour = { consent: 'page', account: 'tester@example.com', tokenFault: null };
  emulator.received.length = 0;
  workspace = makeWorkspace();
  workspace.file('credentials.json', JSON.stringify(emulator.credentialsFile()));
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});
afterEach(async () => {
  await context.close();
  workspace.cleanup();
});

function mint(args: string[], env: Record<string, string | undefined> = {}): CliRun {
  return runCli(['mint', ...args], { cwd: workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort, ...env } });
}

/** Opens the consent page in Chromium and checks it is the emulator's, asking for `scopes`. */
async function openConsent(url: string, scopes: string[]): Promise<void> {
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  await expect(page.locator('h1').textContent()).resolves.toContain('wants to access your Google Account');
  for (const scope of scopes) expect(await page.getByRole('checkbox', { name: scope }).isChecked()).toBe(true);
}

/** Clicks a consent button and waits for the loopback server's page, following the redirect. */
async function decide(button: 'Allow' | 'Deny', consentUrl: string) {
  const loopback = redirectUriOf(consentUrl);
  const [response] = await Promise.all([
    page.waitForResponse((res) => res.url().startsWith(`${loopback.origin}${loopback.pathname}?`)),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  await page.waitForURL((url) => url.origin === loopback.origin);
  await page.locator('h1').waitFor();
  return { status: response.status(), csp: (await response.allHeaders())['content-security-policy'] ?? '', text: await page.locator('body').innerText() };
}

function outputFiles(): string[] {
  return readdirSync(workspace.dir).filter((name) => name !== 'credentials.json');
}

describe.skipIf(lacks('chromium'))('mint in a real browser', () => {
  it('opens the consent URL through $BROWSER (no display), Allow lands on the success page, token.json 0600', async () => {
    const fakeBrowser: BrowserScript = await makeBrowserScript();
    try {
      const run = mint([], {
        BROWSER: fakeBrowser.path,
        DISPLAY: undefined,
        WAYLAND_DISPLAY: undefined,
        SSH_CONNECTION: undefined,
        SSH_CLIENT: undefined,
        SSH_TTY: undefined,
        // Without this, xdg-open on a developer's GNOME/KDE desktop asks gio/kde-open instead of $BROWSER.
        XDG_CURRENT_DESKTOP: 'X-Generic',
        XDG_RUNTIME_DIR: undefined,
      });
      const printed = await run.consentUrl();
      const opened = await fakeBrowser.nextUrl(8_000).catch((error: Error) => {
        throw new Error(`${error.message}; CLI stderr:\n${run.stderr()}`);
      });
      expect(opened).toBe(printed);
      expect(run.stderr()).not.toMatch(/No browser can be opened|browser launcher failed|Could not launch/);

      await openConsent(opened, [SEND]);
      const landed = await decide('Allow', opened);
      expect(landed.status).toBe(200);
      expect(landed.csp).toContain("default-src 'none'");
      expect(landed.text).toContain('You can close this tab');
      expect(landed.text).toContain(SEND);

      const result = await run.exit;
      expect(result.code, result.stderr).toBe(0);
      const path = join(workspace.dir, 'token.json');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const token = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      expect(token).toMatchObject({ type: 'authorized_user', scopes: [SEND] });
      const code = new URL(page.url()).searchParams.get('code') ?? '';
      expect(code).not.toBe('');
      const html = await page.content();
      for (const secret of [code, token.refresh_token, token.token, token.client_secret]) expect(html).not.toContain(secret);
    } finally {
      await fakeBrowser.close();
    }
  });

  it('Deny lands on the error page, which says access_denied and what to do; exit 1, nothing written', async () => {
    const run = mint(['--no-open']);
    const url = await run.consentUrl();
    await openConsent(url, [SEND]);
    const landed = await decide('Deny', url);
    expect(landed.status).toBe(200);
    expect(landed.text).toContain('No token was made');
    expect(landed.text).toContain('access_denied');
    expect(landed.text).toMatch(/run the same gmail-token command again and choose Allow/i);
    expect(landed.text).toContain('You can close this tab');

    const result = await run.exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/denied|declined/i);
    expect(outputFiles()).toEqual([]);
    expect(emulator.received.some((request) => request.path === '/token' && request.form.code)).toBe(false);
  });

  it('unticking one of two scopes then Allow fails naming the missing scope (granular consent); nothing written', async () => {
    const run = mint(['--no-open', '-s', 'send', 'readonly']);
    const url = await run.consentUrl();
    await openConsent(url, [SEND, READONLY]);
    await page.getByRole('checkbox', { name: READONLY }).uncheck();
    const landed = await decide('Allow', url);
    expect(landed.text).toContain('No token was made');
    expect(landed.text).toMatch(/Not granted[\s\S]*gmail\.readonly[\s\S]*keep every permission ticked[\s\S]*Granted[\s\S]*gmail\.send/);

    const result = await run.exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(READONLY);
    expect(result.stderr).toMatch(/did not grant/);
    expect(outputFiles()).toEqual([]);
    expect(existsSync(join(workspace.dir, 'token.json'))).toBe(false);
  });
});
