#!/usr/bin/env node
/**
 * `npm run bench` (issue 5): start-up, time to the consent URL, a whole mint against the local
 * emulator beside the same flow done by Python's google_auth_oauthlib and by
 * @google-cloud/local-auth, peak memory, install footprint, and which packages start-up loads.
 * Everything is measured in this one run on this machine and printed as one table on stdout
 * (progress goes to stderr). Medians after warm-up runs; runs of the things compared are
 * interleaved so that drift in machine load hits them alike. Missing a target is reported, not
 * failed: the exit code is 0 unless the bench itself could not run.
 *
 * Knobs: BENCH_RUNS (start-up runs, 15), BENCH_MINT_RUNS (15), BENCH_WARMUP (3),
 * BENCH_MEMORY_RUNS (3), BENCH_NPX_RUNS (5), BENCH_SKIP_FOOTPRINT=1 (no npm pack/install/npx).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { BIN, PEERS, ROOT, SCOPE, SYSTEM_PYTHON, TIME_BIN, childEnv, fileExists, hasRefreshToken, median, playBrowser, timedRun } from './lib/common.js';
import { installed, packProject, tempDir } from './lib/footprint.js';
import { firstNpx } from './lib/first-npx.js';
import { ALLOWED_AT_START, standardChecks } from './loaded-modules.js';
import { measureAccessToken } from './access-token.js';

const count = (name, fallback) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const RUNS = count('BENCH_RUNS', 15);
const MINT_RUNS = count('BENCH_MINT_RUNS', 15);
/** How long the played person reads the consent screen before Allow, in the after-Allow rows. */
const READING_MS = count('BENCH_READING_MS', 1500);
const AFTER_ALLOW_RUNS = count('BENCH_AFTER_ALLOW_RUNS', 5);
const WARMUP = Number.isInteger(Number(process.env.BENCH_WARMUP)) && process.env.BENCH_WARMUP !== '' && process.env.BENCH_WARMUP !== undefined ? Number(process.env.BENCH_WARMUP) : 3;
const MEMORY_RUNS = count('BENCH_MEMORY_RUNS', 3);
/** Issue 9's targets; installed and peakMemory in bytes (1 MiB; the 64 MB of the last unbundled release). */
const TARGETS = { startup: 1.7, consentUrl: 2.2, mint: 1.0, footprint: 1.0, installed: 1024 * 1024, firstNpx: 1.3, peakMemory: 64e6 };
const NPX_RUNS = count('BENCH_NPX_RUNS', 5);

const started = performance.now();
const loadAtStart = loadavg()[0];
const progress = (line) => process.stderr.write(`bench: ${line}\n`);
const exec = promisify(execFile);

// ── formatting ───────────────────────────────────────────────────────────────────────────────
const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const mb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(2)} MB` : 'n/a');
const kb = (bytes) => `${(bytes / 1e3).toFixed(1)} kB`;
const times = (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a');

/** Rows of the one table: a section heading, or a measure with its comparison. */
const rows = [];
const section = (title) => rows.push({ title });
const row = (measure, ours, other = '', ratio = NaN, target = '', met = undefined) =>
  rows.push({ measure, ours, other, ratio: Number.isFinite(ratio) ? times(ratio) : ratio === undefined ? '' : typeof ratio === 'string' ? ratio : '', target, met: met === undefined ? '' : met ? '✓' : '✗' });
/** A measure that could not be taken: `error` in the row, the reason on the line below it. */
const failed = (measure, error) => {
  row(measure, 'error', 'see below', '', '', false);
  rows.at(-1).detail = String(error?.message ?? error).split('\n')[0].slice(0, 300);
};
const atMost = (ratio, limit) => Number.isFinite(ratio) && ratio <= limit;
const below = (ratio, limit) => Number.isFinite(ratio) && ratio < limit;

function printTable(header) {
  const columns = ['measure', 'ours', 'other', 'ratio', 'target', 'met'];
  const titles = { measure: 'measure', ours: 'gmail-token', other: 'compared with', ratio: 'ratio', target: 'target', met: 'met' };
  const width = Object.fromEntries(columns.map((column) => [column, Math.max(titles[column].length, ...rows.filter((r) => !r.title).map((r) => String(r[column]).length))]));
  const line = (cells) => columns.map((column) => String(cells[column]).padEnd(width[column])).join('  ').trimEnd();
  const total = columns.reduce((sum, column) => sum + width[column] + 2, -2);
  const out = [...header, '', line(titles), '─'.repeat(total)];
  for (const r of rows) {
    out.push(r.title ? `\n${r.title}` : line(r));
    if (r.detail) out.push(`    ↳ ${r.detail}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

// ── the things compared ──────────────────────────────────────────────────────────────────────
function mintTargets(emulator, credentialsPath) {
  const targets = [
    {
      name: 'gmail-token',
      command: process.execPath,
      args: [BIN, 'mint', '--no-open', '-o', '-', '-c', credentialsPath, '-s', SCOPE],
      env: childEnv({ GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort }),
    },
  ];
  const python = pythonPeer();
  if (python.ok) {
    targets.push({
      name: `google_auth_oauthlib ${python.version} (Python)`,
      short: 'python',
      command: SYSTEM_PYTHON,
      args: [join(PEERS, 'python_mint.py'), credentialsPath, SCOPE],
      // Unbuffered, so the printed prompt is seen at once; http token URL allowed (loopback).
      env: childEnv({ PYTHONUNBUFFERED: '1', OAUTHLIB_INSECURE_TRANSPORT: '1' }),
    });
  } else progress(`skipping the Python peer: ${python.reason}`);
  const localAuth = localAuthPeer();
  if (localAuth.ok) {
    targets.push({
      name: `@google-cloud/local-auth ${localAuth.version}`,
      short: 'local-auth',
      command: process.execPath,
      args: ['--require', join(PEERS, 'local-auth-preload.cjs'), join(PEERS, 'local-auth-mint.cjs'), credentialsPath, SCOPE],
      env: childEnv({ BENCH_EMULATOR_ORIGIN: emulator.origin }),
    });
  } else progress(`skipping the local-auth peer: ${localAuth.reason}`);
  return targets;
}

let pythonInfo;
function pythonPeer() {
  return pythonInfo ?? { ok: false, reason: 'not checked' };
}
async function checkPython() {
  if (!fileExists(SYSTEM_PYTHON)) return (pythonInfo = { ok: false, reason: `${SYSTEM_PYTHON} is missing` });
  try {
    const { stdout } = await exec(SYSTEM_PYTHON, ['-c', "import google_auth_oauthlib.flow, importlib.metadata as m; print(m.version('google-auth-oauthlib'))"]);
    return (pythonInfo = { ok: true, version: stdout.trim() });
  } catch {
    return (pythonInfo = { ok: false, reason: 'google_auth_oauthlib is not importable (apt-get install python3-google-auth-oauthlib)' });
  }
}

function localAuthPeer() {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@google-cloud', 'local-auth', 'package.json'), 'utf8'));
    return { ok: true, version: pkg.version };
  } catch {
    return { ok: false, reason: '@google-cloud/local-auth is not installed (npm install)' };
  }
}

/**
 * Runs every target once per round, rotating the order, for warm-up + `runs` rounds.
 * `beforeEach` runs before every run, outside the timing.
 */
async function interleaved(targets, runs, once, beforeEach = () => undefined) {
  const samples = new Map(targets.map((target) => [target.name, []]));
  const errors = new Map();
  for (let round = 0; round < WARMUP + runs; round += 1) {
    for (let i = 0; i < targets.length; i += 1) {
      const target = targets[(i + round) % targets.length];
      if (errors.has(target.name)) continue;
      beforeEach();
      try {
        const sample = await once(target);
        if (round >= WARMUP) samples.get(target.name).push(sample);
      } catch (error) {
        errors.set(target.name, error);
      }
    }
  }
  return { samples, errors };
}

async function mintOnce(target) {
  const run = await timedRun(target.command, target.args, { env: target.env, onConsentUrl: playBrowser });
  if (run.code !== 0 || !hasRefreshToken(run.stdout)) {
    throw new Error(`${target.name} exited ${run.code ?? run.signal} without a token: ${run.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 200)}`);
  }
  return run;
}

// ── sections ─────────────────────────────────────────────────────────────────────────────────
async function moduleChecks(emulator, credentialsPath) {
  section('Modules loaded (issue 5 item 1: start-up paths load only commander and chalk; mint prints its URL before google-auth-library)');
  try {
    for (const check of await standardChecks({ emulator, credentialsPath })) {
      if (check.ok === undefined) continue;
      const isMint = check.label.startsWith('mint');
      const label = check.label === '--help' ? 'modules loaded by --help' : `modules loaded by ${check.label}`;
      row(
        label,
        check.packages.join(', ') || '(no packages)',
        check.note || (isMint ? 'no google-auth-library, open, @inquirer' : `allowed: ${ALLOWED_AT_START.join(', ')}`),
        '',
        isMint ? 'URL before GAL' : 'only those',
        check.ok,
      );
    }
  } catch (error) {
    failed('modules loaded', error);
  }
}

async function startup() {
  progress(`start-up: ${WARMUP} warm-up + ${RUNS} runs each of node -e 0, --help, --version, a usage error`);
  const targets = [
    { name: 'node', args: ['-e', '0'], code: 0 },
    { name: 'help', args: [BIN, '--help'], code: 0 },
    { name: 'version', args: [BIN, '--version'], code: 0 },
    { name: 'usage', args: [BIN, 'mint', '--format', 'xml'], code: 2 },
  ];
  const { samples, errors } = await interleaved(targets, RUNS, async (target) => {
    const run = await timedRun(process.execPath, target.args);
    if (run.code !== target.code) throw new Error(`exited ${run.code}, expected ${target.code}: ${run.stderr.trim().slice(0, 200)}`);
    return run.wallMs;
  });
  const medians = Object.fromEntries(targets.map((target) => [target.name, errors.has(target.name) ? NaN : median(samples.get(target.name))]));
  section(`Start-up wall time (spawn to exit, median of ${RUNS} after ${WARMUP} warm-ups)`);
  row('bare node (node -e 0)', ms(medians.node), 'baseline', '');
  const compare = (label, name) => {
    if (errors.has(name)) return failed(label, errors.get(name));
    const ratio = medians[name] / medians.node;
    row(label, ms(medians[name]), `node -e 0: ${ms(medians.node)}`, ratio, `≤ ${TARGETS.startup.toFixed(2)}×`, atMost(ratio, TARGETS.startup));
  };
  compare('gmail-token --help', 'help');
  compare('gmail-token --version', 'version');
  compare('usage error (mint --format xml)', 'usage');
  return medians.node;
}

async function mintFlow(emulator, credentialsPath, bareNode) {
  const targets = mintTargets(emulator, credentialsPath);
  progress(`mint: ${WARMUP} warm-up + ${MINT_RUNS} runs each of ${targets.map((target) => target.name).join(', ')}`);
  // Every run starts as a first-ever consent: local-auth sends no prompt=consent, and Google (so
  // the emulator) gives no new refresh token while an earlier offline grant is live.
  const { samples, errors } = await interleaved(targets, MINT_RUNS, mintOnce, () => emulator.revokeAll());
  const stat = (name, key) => median((samples.get(name) ?? []).map((run) => run[key]));
  const [ours, ...peers] = targets;

  section(`Time to the consent URL on stderr (mint --no-open against the emulator, median of ${MINT_RUNS})`);
  if (errors.has(ours.name)) failed('gmail-token mint: consent URL', errors.get(ours.name));
  else {
    const url = stat(ours.name, 'urlMs');
    const ratio = url / bareNode;
    row('gmail-token: consent URL printed', ms(url), `node -e 0: ${ms(bareNode)}`, ratio, `≤ ${TARGETS.consentUrl.toFixed(2)}×`, atMost(ratio, TARGETS.consentUrl));
    for (const peer of peers) {
      if (errors.has(peer.name)) continue;
      const theirs = stat(peer.name, 'urlMs');
      row(`  for reference: ${peer.short} prints its URL`, ms(url), `${peer.short}: ${ms(theirs)}`, url / theirs, 'info');
    }
  }

  section(`Whole mint against the emulator, browser played by a script (spawn to exit, median of ${MINT_RUNS})`);
  if (errors.has(ours.name)) failed('gmail-token mint', errors.get(ours.name));
  const oursMs = stat(ours.name, 'wallMs');
  if (!errors.has(ours.name)) row('gmail-token mint', ms(oursMs), `node -e 0: ${ms(bareNode)}`, oursMs / bareNode, 'info');
  for (const peer of peers) {
    if (errors.has(peer.name)) {
      failed(`vs ${peer.name}`, errors.get(peer.name));
      continue;
    }
    const theirs = stat(peer.name, 'wallMs');
    const ratio = oursMs / theirs;
    row(`vs ${peer.name}`, ms(oursMs), `${peer.short}: ${ms(theirs)}`, ratio, `< ${TARGETS.mint.toFixed(2)}× (faster)`, below(ratio, TARGETS.mint));
  }
  if (targets.length < 3) row('(a peer was skipped; see the messages above the table)', '', '', '', '', false);
  await afterAllow(targets, emulator);
  return targets;
}

/**
 * What a person waits for: the time from clicking Allow to the command's exit, when they spend
 * READING_MS on the consent screen first (the scripted browser above clicks at once, which puts
 * every library load on the critical path).
 */
async function afterAllowOnce(target) {
  let allowedAt = 0;
  const startedAt = performance.now();
  const run = await timedRun(target.command, target.args, {
    env: target.env,
    onConsentUrl: async (url) => {
      await new Promise((resolve) => setTimeout(resolve, READING_MS));
      allowedAt = performance.now();
      await playBrowser(url);
    },
  });
  if (run.code !== 0 || !hasRefreshToken(run.stdout)) throw new Error(`${target.name} exited ${run.code ?? run.signal} without a token`);
  return { afterAllowMs: startedAt + run.wallMs - allowedAt };
}

async function afterAllow(targets, emulator) {
  progress(`after Allow: ${AFTER_ALLOW_RUNS} runs each, the person reading for ${READING_MS} ms`);
  const { samples, errors } = await interleaved(targets, AFTER_ALLOW_RUNS, afterAllowOnce, () => emulator.revokeAll());
  const stat = (name) => median((samples.get(name) ?? []).map((run) => run.afterAllowMs));
  const [ours, ...peers] = targets;
  section(`From Allow to exit, after ${READING_MS} ms on the consent screen (median of ${AFTER_ALLOW_RUNS})`);
  if (errors.has(ours.name)) return failed('gmail-token after Allow', errors.get(ours.name));
  for (const peer of peers) {
    if (errors.has(peer.name)) continue;
    row(`vs ${peer.name}`, ms(stat(ours.name)), `${peer.short}: ${ms(stat(peer.name))}`, stat(ours.name) / stat(peer.name), 'info');
  }
}

/** Peak RSS, by GNU time's %M (kB) when present, else a preload that reports process.resourceUsage().maxRSS (Node only). */
async function memory(targets, emulator) {
  const viaTime = fileExists(TIME_BIN);
  const how = viaTime ? `${TIME_BIN} -f %M (max RSS of the process)` : 'process.resourceUsage().maxRSS reported at exit by a preload (Node targets only)';
  progress(`memory: ${MEMORY_RUNS} runs each, via ${how}`);
  const work = mkdtempSync(join(tmpdir(), 'gmail-token-bench-rss-'));
  const report = join(work, 'rss');
  const preload = join(ROOT, 'bench', 'lib', 'maxrss.cjs');
  const measured = [{ name: 'node', short: 'node -e 0', command: process.execPath, args: ['-e', '0'], env: childEnv() }, ...targets];
  try {
    const { samples, errors } = await interleaved(measured, MEMORY_RUNS, async (target) => {
      rmSync(report, { force: true });
      let command = target.command;
      let args = target.args;
      let env = target.env;
      if (viaTime) {
        args = ['-o', report, '-f', '%M', command, ...args];
        command = TIME_BIN;
      } else if (command === process.execPath) {
        args = ['--require', preload, ...args];
        env = { ...env, BENCH_MAXRSS_FILE: report };
      } else return NaN;
      const run = await timedRun(command, args, { env, onConsentUrl: target.name === 'node' ? undefined : playBrowser });
      if (run.code !== 0) throw new Error(`exited ${run.code}: ${run.stderr.trim().slice(-200)}`);
      const kilobytes = Number(readFileSync(report, 'utf8').trim().split('\n').at(-1));
      return kilobytes * 1024;
    }, () => emulator.revokeAll());
    const peak = (name) => (errors.has(name) ? NaN : median(samples.get(name)));
    section(`Peak memory, max RSS (median of ${MEMORY_RUNS}; ${how})`);
    row('bare node (node -e 0)', mb(peak('node')), 'baseline', '');
    const [ours, ...peers] = targets;
    if (errors.has(ours.name)) return failed('gmail-token mint', errors.get(ours.name));
    row('gmail-token mint', mb(peak(ours.name)), `node -e 0: ${mb(peak('node'))}`, peak(ours.name) / peak('node'), `≤ ${mb(TARGETS.peakMemory)}`, peak(ours.name) <= TARGETS.peakMemory);
    for (const peer of peers) {
      if (errors.has(peer.name)) failed(`vs ${peer.short}`, errors.get(peer.name));
      else row(`vs ${peer.short}`, mb(peak(ours.name)), `${peer.short}: ${mb(peak(peer.name))}`, peak(ours.name) / peak(peer.name), 'info');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function footprint() {
  section('Install footprint (npm pack; npm install of the tarball into an empty folder)');
  if (process.env.BENCH_SKIP_FOOTPRINT === '1') return row('skipped (BENCH_SKIP_FOOTPRINT=1)', '', '', '', '', undefined);
  const localAuth = localAuthPeer();
  const peerSpec = `@google-cloud/local-auth@${localAuth.ok ? localAuth.version : 'latest'}`;
  progress(`footprint: npm pack, then npm install --omit=dev of it and of ${peerSpec} into empty folders`);
  const work = tempDir('gmail-token-bench-pack-');
  try {
    const packed = await packProject(ROOT, work);
    row('npm pack tarball', kb(packed.size), `${kb(packed.unpackedSize)} unpacked, ${packed.files} files`, '', 'info');
    const [ours, theirs] = await Promise.all([installed(packed.tarball, 'gmail-token-bench-install-'), installed(peerSpec, 'gmail-token-bench-peer-')]);
    const ratio = ours.diskBytes / theirs.diskBytes;
    row('installed node_modules, on disk', mb(ours.diskBytes), `${peerSpec}: ${mb(theirs.diskBytes)}`, ratio, `≤ ${TARGETS.footprint.toFixed(2)}×`, atMost(ratio, TARGETS.footprint));
    row('installed node_modules, file bytes', mb(ours.bytes), `local-auth: ${mb(theirs.bytes)}`, ours.bytes / theirs.bytes, '≤ 1 MiB', ours.bytes <= TARGETS.installed);
    row('production packages installed', String(ours.packages), `local-auth: ${theirs.packages}`, ours.packages / theirs.packages, '1 package', ours.packages === 1);
    row('runtime dependencies in the packed package.json', String(packed.runtimeDependencies), '', '', '0', packed.runtimeDependencies === 0);
    for (const big of ours.largest.slice(0, 2)) {
      row(`  largest: ${big.name}`, mb(big.bytes), `of ${mb(ours.bytes)}`, big.bytes / ours.bytes, 'info');
      rows.at(-1).detail = `installed as ${big.chain.join(' › ')}`;
    }
    progress(`first npx: ${WARMUP > 0 ? 1 : 0} warm-up + ${NPX_RUNS} paired rounds, each with an empty npm cache`);
    const npx = await firstNpx(packed.tarball, { runs: NPX_RUNS, warmup: WARMUP > 0 ? 1 : 0, progress });
    section(`First npx with an empty npm cache (npx --yes ./<tarball> --version, median of ${NPX_RUNS} paired rounds)`);
    row('gmail-token tarball', ms(npx.ours), `one-file package, no dependencies: ${ms(npx.floor)}`, npx.ratio, `≤ ${TARGETS.firstNpx.toFixed(2)}×`, atMost(npx.ratio, TARGETS.firstNpx));
  } catch (error) {
    failed('install footprint', error);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function accessToken(emulator, credentialsPath, work) {
  progress(`access-token: ${WARMUP} warm-up + ${RUNS} runs each of node -e 0, a fresh stored token, --no-cache`);
  section(`access-token from a token.json whose access token is fresh (spawn to exit, median of ${RUNS})`);
  try {
    const medians = await measureAccessToken({ emulator, credentialsPath, work, runs: RUNS, warmup: WARMUP });
    row('access-token, stored token reused', ms(medians.cached), `node -e 0: ${ms(medians.node)}`, medians.cached / medians.node, 'info');
    row('  vs access-token --no-cache (asks Google)', ms(medians.cached), `--no-cache: ${ms(medians.noCache)}`, medians.cached / medians.noCache, 'info');
  } catch (error) {
    failed('access-token', error);
  }
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────
async function main() {
  const emulatorModule = join(ROOT, 'dist', 'emulator', 'index.cjs');
  if (!fileExists(emulatorModule) || !fileExists(join(ROOT, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`.\n');
    return 1;
  }
  const { startEmulator } = await import(pathToFileURL(emulatorModule).href);
  const emulator = await startEmulator({ behaviour: { consent: 'approve' } });
  const work = mkdtempSync(join(tmpdir(), 'gmail-token-bench-'));
  const credentialsPath = join(work, 'credentials.json');
  writeFileSync(credentialsPath, JSON.stringify(emulator.credentialsFile()));
  try {
    await checkPython();
    progress('modules: --help, --version, usage errors, mint');
    await moduleChecks(emulator, credentialsPath);
    const bareNode = await startup();
    const targets = await mintFlow(emulator, credentialsPath, bareNode);
    await memory(targets, emulator);
    await accessToken(emulator, credentialsPath, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await emulator.close();
  }
  await footprint();

  const cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  printTable([
    `gmail-token bench — node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} × ${cpu}`,
    `1-minute load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end (other work on the machine skews wall times)`,
    `ratio = gmail-token ÷ the thing compared (below 1 is faster/smaller); ✓/✗ = target met; info = no target`,
  ]);
  process.stdout.write(`\nbench took ${((performance.now() - started) / 1000).toFixed(1)} s (after the build)\n`);
  return 0;
}

process.exitCode = await main().catch((error) => {
  process.stderr.write(`bench: could not run: ${error?.stack ?? error}\n`);
  return 1;
});
