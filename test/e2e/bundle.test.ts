/**
 * What bundling can silently break (issue 9, item 3), each tried on the built bundle through
 * its bin, dist/cli/gmail-token.cjs: CommonJS named exports behind dynamic imports, open's own
 * xdg-open, the version, the emulator's pages, and stacks for DEBUG=gmail-token.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runCli, runCliToEnd, type CliRun } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';
import { until } from '../helpers/async.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const h = useEmulatorHarness();
const NO_PROXY_ENV = { HTTPS_PROXY: undefined, https_proxy: undefined, HTTP_PROXY: undefined, http_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined };

let started: CliRun[] = [];
let servers: Server[] = [];
afterEach(async () => {
  for (const run of started) run.child.kill('SIGTERM');
  await Promise.all(started.map((run) => run.exit));
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  started = [];
  servers = [];
});

function start(args: string[], env: Record<string, string | undefined> = {}): CliRun {
  const run = runCli(args, { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, ...env } });
  started.push(run);
  return run;
}

/** An HTTP proxy that tunnels CONNECT requests, as corporate proxies do, and records their targets. */
async function connectProxy(): Promise<{ url: string; targets: string[] }> {
  const targets: string[] = [];
  const server = createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request, socket, head) => {
    targets.push(request.url ?? '');
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, targets };
}

describe('the bundle', () => {
  it('is what the bin runs: dist/ holds the CLI, its commands and the emulator entry as CommonJS, with no source maps', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin).toEqual({ 'gmail-token': 'dist/cli/gmail-token.cjs' });
    expect(readFileSync(join(ROOT, 'dist', 'cli', 'gmail-token.cjs'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    for (const file of ['dist/cli/commands/check.cjs', 'dist/emulator/index.cjs', 'dist/THIRD-PARTY-LICENSES.txt']) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }
    const maps = readdirSync(join(ROOT, 'dist'), { recursive: true }).filter((name) => String(name).endsWith('.map'));
    expect(maps).toEqual([]);
  });

  it("mints with google-auth-library's OAuth2Client loaded through a dynamic import", async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    expect(token.refresh_token).toMatch(/\S/);
    expect(h.emulator.received.some((request) => request.path === '/token')).toBe(true);
  });

  it("reaches Google through $HTTPS_PROXY: gaxios's dynamically imported proxy agent works", async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    const proxy = await connectProxy();
    const result = await runCliToEnd(['check'], {
      cwd: h.workspace.dir,
      env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, ...NO_PROXY_ENV, HTTPS_PROXY: proxy.url },
    });
    expect(result.code).toBe(0);
    expect(proxy.targets).toContain(h.emulator.hostPort);
  });

  it("opens the browser with the xdg-open script that open ships, not one found on $PATH", async () => {
    const bin = join(h.workspace.dir, 'path-bin');
    mkdirSync(bin);
    const opened = join(h.workspace.dir, 'opened.txt');
    const systemUsed = join(h.workspace.dir, 'system-xdg-open-used');
    h.workspace.file('path-bin/xdg-open', `#!/bin/sh\ntouch '${systemUsed}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const browser = h.workspace.file('browser.sh', `#!/bin/sh\nprintf '%s\\n' "$1" > '${opened}'\n`);
    chmodSync(browser, 0o755);
    // No display: xdg-open goes straight to $BROWSER, not to the desktop's default browser.
    const run = start(['mint', '-o', '-'], { ...NO_PROXY_ENV, PATH: `${bin}:/usr/bin:/bin`, DISPLAY: undefined, WAYLAND_DISPLAY: undefined, SSH_CONNECTION: undefined, SSH_CLIENT: undefined, SSH_TTY: undefined, BROWSER: browser, XDG_CURRENT_DESKTOP: 'X-Generic' });
    const url = await run.consentUrl();
    await until(() => existsSync(systemUsed) || (existsSync(opened) && readFileSync(opened, 'utf8').includes('\n')));
    expect(existsSync(systemUsed)).toBe(false);
    expect(readFileSync(opened, 'utf8').trim()).toBe(url);
    await followConsent(url);
    expect((await run.exit).code).toBe(0);
  });

  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCliToEnd(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it("serves the emulator's consent page, and its Allow completes a mint", async () => {
    const emulator = start(['emulator']);
    await emulator.waitForStderr(/Press Ctrl-C to stop/);
    const hostPort = emulator.stdout().trim();
    const credentials = await (await fetch(`http://${hostPort}/emulator/v1/credentials.json`)).text();
    h.workspace.file('credentials.json', credentials);
    const mint = start(['mint', '--no-open', '-o', '-'], { GMAIL_TOKEN_EMULATOR_HOST: hostPort });
    const page = await fetch(await mint.consentUrl());
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).toMatch(/<button type="submit" name="decision" value="allow">Allow<\/button>/);
    const request = /name="request" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const form = new URLSearchParams({ request, scope: 'https://www.googleapis.com/auth/gmail.send', decision: 'allow' });
    const decision = await fetch(`http://${hostPort}/o/oauth2/v2/auth/decision`, { method: 'POST', body: form, redirect: 'manual' });
    expect(decision.status).toBe(302);
    await fetch(decision.headers.get('location') ?? '');
    const minted = await mint.exit;
    expect(minted.code).toBe(0);
    expect(minted.stdout).toMatch(/"refresh_token"/);
  });
});

describe('an unexpected error', () => {
  // A fault no input can cause: the system's random source fails under mint.
  const BROKEN_RANDOM = `data:text/javascript,${encodeURIComponent(
    "import crypto from 'node:crypto'; import { syncBuiltinESMExports } from 'node:module'; crypto.randomBytes = () => { throw new Error('no entropy'); }; syncBuiltinESMExports();",
  )}`;

  // Source maps are an opt-in build (test/e2e/build.sourcemap.test.ts): the package names its own lines.
  it('with DEBUG=gmail-token, shows a stack that names the functions and the lines of the built file', async () => {
    const result = await runCliToEnd(['mint', '--no-open', '-o', '-'], {
      cwd: h.workspace.dir,
      env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, NODE_OPTIONS: `--import=${BROKEN_RANDOM}`, DEBUG: 'gmail-token' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Error: no entropy/);
    expect(result.stderr).toMatch(/at createPkce \(\S*\/dist\/cli\/commands\/mint\.cjs:\d+:\d+\)/);
  });

  it('without DEBUG, is one line with no stack', async () => {
    const result = await runCliToEnd(['mint', '--no-open', '-o', '-'], {
      cwd: h.workspace.dir,
      env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, NODE_OPTIONS: `--import=${BROKEN_RANDOM}` },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unexpected Error\. Run again with DEBUG=gmail-token/);
    expect(result.stderr).not.toMatch(/\.(ts|js):\d+/);
  });
});
