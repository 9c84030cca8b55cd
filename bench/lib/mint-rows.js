/**
 * The mint rows on one Node: time to the consent URL and the whole instant-click mint, beside
 * bare node and the two peers in the same shuffled rounds; peak memory; and, on the first Node
 * only, the after-Allow and access-token rows (information).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { measureAccessToken } from '../access-token.js';
import { BIN, PEERS, ROOT, SCOPE, SYSTEM_PYTHON, TIME_BIN, childEnv, fileExists, hasRefreshToken, playBrowser, timedRun } from './common.js';
import { medianOf, ratioOf, shuffledRounds, verdict } from './rounds.js';
import { mb, ms } from './table.js';

const exec = promisify(execFile);
/** Issue 23's targets: consent URL × bare node; peak RSS in bytes (the 64 MB of the last unbundled release). */
export const MINT_TARGETS = { consentUrl: 2.3, peakMemory: 64e6 };

let python = { ok: false, reason: 'not checked' };
export async function checkPython(progress) {
  if (!fileExists(SYSTEM_PYTHON)) python = { ok: false, reason: `${SYSTEM_PYTHON} is missing` };
  else {
    try {
      const { stdout } = await exec(SYSTEM_PYTHON, ['-c', "import google_auth_oauthlib.flow, importlib.metadata as m; print(m.version('google-auth-oauthlib'))"]);
      python = { ok: true, version: stdout.trim() };
    } catch {
      python = { ok: false, reason: 'google_auth_oauthlib is not importable (apt-get install python3-google-auth-oauthlib)' };
    }
  }
  if (!python.ok) progress(`skipping the Python peer: ${python.reason}`);
}

function localAuthVersion() {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', '@google-cloud', 'local-auth', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** gmail-token and the peers; local-auth runs on the same Node as gmail-token. */
function mintVariants(node, emulator, credentialsPath) {
  const variants = [{ name: 'gmail-token', command: node.path, args: [BIN, 'mint', '--no-open', '-o', '-', '-c', credentialsPath, '-s', SCOPE], env: childEnv({ GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort }) }];
  if (python.ok) {
    // Unbuffered, so the printed prompt is seen at once; http token URL allowed (loopback).
    variants.push({ name: `google_auth_oauthlib ${python.version} (Python)`, short: 'python', command: SYSTEM_PYTHON, args: [join(PEERS, 'python_mint.py'), credentialsPath, SCOPE], env: childEnv({ PYTHONUNBUFFERED: '1', OAUTHLIB_INSECURE_TRANSPORT: '1' }) });
  }
  const localAuth = localAuthVersion();
  if (localAuth) {
    variants.push({ name: `@google-cloud/local-auth ${localAuth}`, short: 'local-auth', command: node.path, args: ['--require', join(PEERS, 'local-auth-preload.cjs'), join(PEERS, 'local-auth-mint.cjs'), credentialsPath, SCOPE], env: childEnv({ BENCH_EMULATOR_ORIGIN: emulator.origin }) });
  }
  return variants;
}

async function mintOnce(variant) {
  if (variant.name === 'node') return timedRun(variant.command, variant.args);
  const run = await timedRun(variant.command, variant.args, { env: variant.env, onConsentUrl: playBrowser });
  if (run.code !== 0 || !hasRefreshToken(run.stdout)) throw new Error(`${variant.name} exited ${run.code ?? run.signal} without a token: ${run.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 200)}`);
  return run;
}

async function consentAndMint(table, node, variants, { emulator, settings, progress }) {
  const bare = { name: 'node', command: node.path, args: ['-e', '0'] };
  progress(`${node.label} mint: ${settings.warmup} warm-up + ${settings.mintRuns} shuffled rounds of node -e 0, ${variants.map((v) => v.name).join(', ')}`);
  // Every run starts as a first-ever consent: local-auth sends no prompt=consent, and Google (so
  // the emulator) gives no new refresh token while an earlier offline grant is live.
  const { rounds, errors } = await shuffledRounds([bare, ...variants], { runs: settings.mintRuns, warmup: settings.warmup, once: mintOnce, beforeEach: () => emulator.revokeAll() });
  const [ours, ...peers] = variants;
  const wall = (run) => run.wallMs;
  const url = (run) => run.urlMs;
  table.section(`${node.label}: consent URL on stderr and whole instant-click mint (mint --no-open against the emulator; ${settings.mintRuns} rounds)`);
  if (errors.has(ours.name)) return table.failed('gmail-token mint', errors.get(ours.name));
  const bareMs = medianOf(rounds, 'node', wall);
  const urlRatio = ratioOf(rounds, ours.name, 'node', url, wall);
  table.row('gmail-token: consent URL printed', ms(medianOf(rounds, ours.name, url)), `node -e 0: ${ms(bareMs)}`, urlRatio, `≤ ${MINT_TARGETS.consentUrl.toFixed(2)}×`, verdict(urlRatio, MINT_TARGETS.consentUrl));
  for (const peer of peers.filter((p) => !errors.has(p.name))) table.row(`  for reference: ${peer.short} prints its URL`, ms(medianOf(rounds, ours.name, url)), `${peer.short}: ${ms(medianOf(rounds, peer.name, url))}`, ratioOf(rounds, ours.name, peer.name, url));
  for (const peer of peers) {
    if (errors.has(peer.name)) {
      table.failed(`whole mint vs ${peer.name}`, errors.get(peer.name));
      continue;
    }
    const ratio = ratioOf(rounds, ours.name, peer.name, wall);
    table.row(`whole mint vs ${peer.name}`, ms(medianOf(rounds, ours.name, wall)), `${peer.short}: ${ms(medianOf(rounds, peer.name, wall))}`, ratio, '< 1.00× (faster)', verdict(ratio, 1, { atMost: false }));
  }
  if (peers.length < 2) table.row('(a peer was skipped; see the messages above the table)', '', '', '', '', { met: false, text: 'not measured' });
}

/** Peak RSS, by GNU time's %M (kB) when present, else a preload reporting process.resourceUsage().maxRSS (Node only). */
async function memory(table, node, variants, { emulator, settings, progress }) {
  const viaTime = fileExists(TIME_BIN);
  const how = viaTime ? `${TIME_BIN} -f %M` : 'process.resourceUsage().maxRSS from a preload (Node only)';
  progress(`${node.label} memory: ${settings.memoryRuns} rounds, via ${how}`);
  const work = mkdtempSync(join(tmpdir(), 'gmail-token-bench-rss-'));
  const report = join(work, 'rss');
  const preload = join(ROOT, 'bench', 'lib', 'maxrss.cjs');
  const bare = { name: 'node', command: node.path, args: ['-e', '0'], env: childEnv() };
  try {
    const { rounds, errors } = await shuffledRounds([bare, ...variants], {
      runs: settings.memoryRuns,
      warmup: 0,
      beforeEach: () => emulator.revokeAll(),
      once: async (variant) => {
        rmSync(report, { force: true });
        let { command, args, env } = variant;
        if (viaTime) [command, args] = [TIME_BIN, ['-o', report, '-f', '%M', command, ...args]];
        else if (command === node.path) [args, env] = [['--require', preload, ...args], { ...env, BENCH_MAXRSS_FILE: report }];
        else return NaN;
        const run = await timedRun(command, args, { env, onConsentUrl: variant.name === 'node' ? undefined : playBrowser });
        if (run.code !== 0) throw new Error(`exited ${run.code}: ${run.stderr.trim().slice(-200)}`);
        return Number(readFileSync(report, 'utf8').trim().split('\n').at(-1)) * 1024;
      },
    });
    const [ours, ...peers] = variants;
    table.section(`${node.label}: peak memory, max RSS (median of ${settings.memoryRuns}; ${how})`);
    if (errors.has(ours.name)) return table.failed('gmail-token mint', errors.get(ours.name));
    const peak = medianOf(rounds, ours.name);
    table.row('gmail-token mint', mb(peak), `node -e 0: ${mb(medianOf(rounds, 'node'))}`, ratioOf(rounds, ours.name, 'node'), `≤ ${mb(MINT_TARGETS.peakMemory)}`, verdict(peak / 1e6, MINT_TARGETS.peakMemory / 1e6, { unit: 'MB' }));
    for (const peer of peers.filter((p) => !errors.has(p.name))) table.row(`  vs ${peer.short}`, mb(peak), `${peer.short}: ${mb(medianOf(rounds, peer.name))}`, ratioOf(rounds, ours.name, peer.name));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** From clicking Allow to exit, when the person reads the consent screen first (library loads are then off the critical path). */
async function afterAllow(table, variants, { emulator, settings, progress }) {
  progress(`after Allow: ${settings.afterAllowRuns} rounds, the person reading for ${settings.readingMs} ms`);
  const { rounds, errors } = await shuffledRounds(variants, {
    runs: settings.afterAllowRuns,
    warmup: 0,
    beforeEach: () => emulator.revokeAll(),
    once: async (variant) => {
      let allowedAt = 0;
      const startedAt = performance.now();
      const run = await timedRun(variant.command, variant.args, {
        env: variant.env,
        onConsentUrl: async (url) => {
          await new Promise((resolve) => setTimeout(resolve, settings.readingMs));
          allowedAt = performance.now();
          await playBrowser(url);
        },
      });
      if (run.code !== 0 || !hasRefreshToken(run.stdout)) throw new Error(`${variant.name} exited ${run.code ?? run.signal} without a token`);
      return startedAt + run.wallMs - allowedAt;
    },
  });
  const [ours, ...peers] = variants;
  table.section(`From Allow to exit, after ${settings.readingMs} ms on the consent screen (${settings.afterAllowRuns} rounds)`);
  if (errors.has(ours.name)) return table.failed('gmail-token after Allow', errors.get(ours.name));
  for (const peer of peers.filter((p) => !errors.has(p.name))) table.row(`vs ${peer.name}`, ms(medianOf(rounds, ours.name)), `${peer.short}: ${ms(medianOf(rounds, peer.name))}`, ratioOf(rounds, ours.name, peer.name));
}

async function accessToken(table, { emulator, credentialsPath, work, settings, progress }) {
  progress(`access-token: ${settings.warmup} warm-up + ${settings.runs} rounds of node -e 0, a fresh stored token, --no-cache`);
  table.section(`access-token from a token.json whose access token is fresh (spawn to exit, ${settings.runs} rounds)`);
  try {
    const medians = await measureAccessToken({ emulator, credentialsPath, work, runs: settings.runs, warmup: settings.warmup });
    table.row('access-token, stored token reused', ms(medians.cached), `node -e 0: ${ms(medians.node)}`, medians.cachedRatio);
    table.row('  vs access-token --no-cache (asks Google)', ms(medians.cached), `--no-cache: ${ms(medians.noCache)}`, medians.cached / medians.noCache);
  } catch (error) {
    table.failed('access-token', error);
  }
}

export async function mintSections(table, node, context) {
  const variants = mintVariants(node, context.emulator, context.credentialsPath);
  await consentAndMint(table, node, variants, context);
  await memory(table, node, variants, context);
  if (!context.extras) return;
  await afterAllow(table, variants, context);
  await accessToken(table, context);
}
