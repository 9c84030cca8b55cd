#!/usr/bin/env node
/**
 * Screenshots of the three pages a person sees during `gmail-token mint`: the emulator's consent
 * page, the loopback server's success page and its error page, at a laptop size and a phone
 * width, in light and dark colour schemes. For looking at the pages by eye; no assertions.
 *
 *   npm run build && node test/tools/screenshots.mjs [folder]
 *
 * Needs Debian's chromium at /usr/bin/chromium (or CHROMIUM=/path); never downloads a browser.
 * Runs the built CLI (dist/cli/gmail-token.cjs) against the built emulator (dist/), so it shows exactly
 * what the CLI serves, headers (CSP) included.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist', 'cli', 'gmail-token.cjs');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const VIEWPORTS = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
  { name: 'phone', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
];
const SCHEMES = ['light', 'dark'];

if (!existsSync(join(ROOT, 'dist', 'emulator', 'index.cjs'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`No Chromium at ${CHROMIUM}: install Debian's chromium package, or set CHROMIUM to its path.`);
  process.exit(2);
}

const { startEmulator } = await import(join(ROOT, 'dist', 'emulator', 'index.cjs'));

const out = resolve(process.argv[2] ?? mkdtempSync(join(tmpdir(), 'gmail-token-screenshots-')));
mkdirSync(out, { recursive: true });

/** Runs `gmail-token mint --no-open` in `cwd`; resolves the consent URL it prints and its exit. */
function mint(cwd, emulator, args) {
  const env = { ...process.env, NO_COLOR: '1', GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort };
  const child = spawn(process.execPath, [BIN, 'mint', '--no-open', '--force', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exit = new Promise((done) => child.on('close', (code) => done({ code, stderr })));
  const url = new Promise((found, fail) => {
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
      const match = /^(https?:\/\/\S+\/o\/oauth2\/\S+)$/m.exec(stderr);
      if (match) found(match[1]);
    });
    void exit.then(() => fail(new Error(`mint exited before printing a consent URL:\n${stderr}`)));
  });
  return { url, exit };
}

const emulator = await startEmulator({ behaviour: { consent: 'page' } });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const work = mkdtempSync(join(tmpdir(), 'gmail-token-screenshots-work-'));
writeFileSync(join(work, 'credentials.json'), JSON.stringify(emulator.credentialsFile()));
const shots = [];

async function shoot(page, name) {
  const path = join(out, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  shots.push(path);
}

try {
  for (const { name: size, options } of VIEWPORTS) {
    for (const scheme of SCHEMES) {
      const context = await browser.newContext({ ...options, colorScheme: scheme });
      const page = await context.newPage();
      const tag = `${size}-${scheme}`;

      const allowed = mint(work, emulator, ['-s', 'send', 'readonly', 'email']);
      await page.goto(await allowed.url);
      await shoot(page, `consent-${tag}`);
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\//);
      await page.locator('h1').waitFor();
      await shoot(page, `success-${tag}`);
      const okRun = await allowed.exit;
      if (okRun.code !== 0) throw new Error(`mint (allow) exited ${okRun.code}:\n${okRun.stderr}`);

      const denied = mint(work, emulator, []);
      await page.goto(await denied.url);
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\//);
      await page.locator('h1').waitFor();
      await shoot(page, `error-${tag}`);
      await denied.exit;
      await context.close();
    }
  }
} finally {
  await browser.close();
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}

console.log(`Screenshots in ${out}:`);
for (const path of shots) console.log(`  ${path}`);
