/**
 * Shared pieces of the bench: where things are, how a child process is timed, how the person's
 * browser is played against the emulator, and small statistics.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'dist', 'cli', 'gmail-token.cjs');
export const PEERS = join(ROOT, 'bench', 'peers');
export const SCOPE = 'https://www.googleapis.com/auth/gmail.send';
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const TIME_BIN = '/usr/bin/time';

/** A matcher for a consent URL printed on a line of its own (ours, local-auth's) or after a prompt (Python's). */
const CONSENT_URL = /(https?:\/\/\S+\/o\/oauth2\/\S+)/;

/**
 * Variables removed from every child's environment: anything that could steer a tool elsewhere or
 * slow one of them down alone. NODE_EXTRA_CA_CERTS makes every Node process read and parse that
 * bundle at start (tens of ms), whatever it runs; no request here uses TLS.
 * PYTHONDONTWRITEBYTECODE would stop Python caching its bytecode between runs.
 */
export const REMOVED_ENV = /^(GMAIL_TOKEN_|GMAIL_API_|GOOGLE_|OAUTHLIB_|NODE_OPTIONS$|NODE_EXTRA_CA_CERTS$|PYTHONDONTWRITEBYTECODE$|DEBUG$)/;

/** The environment every child gets: the caller's, minus REMOVED_ENV and proxies. */
export function childEnv(extra = {}) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (REMOVED_ENV.test(name)) delete env[name];
    if (/^(https?|all)_proxy$/i.test(name)) delete env[name];
  }
  return { ...env, NO_COLOR: '1', NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', ...extra };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Spawns `command args`, and resolves when it has exited and its output is drained, with the wall
 * time from just before spawn() to then (ms), the time until the consent URL appeared on stdout or
 * stderr (ms, if it did), and its output. `onConsentUrl(url)` is called once, as soon as the URL
 * shows, to play the browser; its failure fails the run.
 */
export function timedRun(command, args, { env, cwd, onConsentUrl, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { env: env ?? childEnv(), cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let urlAt;
    let browser = Promise.resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took longer than ${timeoutMs} ms; stderr: ${stderr.slice(-400)}`));
    }, timeoutMs);
    const look = (text) => {
      if (urlAt !== undefined || !onConsentUrl) return;
      const match = CONSENT_URL.exec(text);
      // Only a whole line counts: the URL may arrive split over two chunks.
      if (!match || !text.slice(match.index).includes('\n')) return;
      urlAt = performance.now() - start;
      browser = onConsentUrl(match[1]);
      browser.catch(() => child.kill('SIGKILL'));
    };
    child.stdout.setEncoding('utf8').on('data', (chunk) => look((stdout += chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk) => look((stderr += chunk)));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - start;
      clearTimeout(timer);
      browser.then(
        () => resolve({ code, signal, wallMs, urlMs: urlAt, stdout, stderr }),
        (error) => reject(new Error(`playing the browser failed: ${error.message}; stderr: ${stderr.slice(-400)}`)),
      );
    });
  });
}

/**
 * The person's browser: GET the consent URL (the emulator, in its approve mode, answers 302 to the
 * redirect URI with a code), then GET that loopback URL and read the page, as a browser would.
 */
export async function playBrowser(consentUrl) {
  const consent = await fetch(consentUrl, { redirect: 'manual' });
  const location = consent.headers.get('location');
  await consent.arrayBuffer();
  if (consent.status !== 302 || !location) throw new Error(`consent endpoint answered ${consent.status} without a redirect`);
  const callback = await fetch(location, { redirect: 'manual' });
  await callback.arrayBuffer();
  if (callback.status !== 200) throw new Error(`the loopback server answered ${callback.status}`);
}

export function hasRefreshToken(stdout) {
  return /"refresh_token"\s*:\s*"[^"]+"/.test(stdout);
}

export function fileExists(path) {
  return existsSync(path);
}
