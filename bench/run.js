#!/usr/bin/env node
/**
 * `npm run bench` (issues 5, 9, 23): start-up, time to the consent URL, a whole mint against the
 * local emulator beside the same flow by Python's google_auth_oauthlib and by
 * @google-cloud/local-auth, peak memory, on Node 20 (the node running this) and on Node 24 (the
 * npm `node` package); then the package's footprint and a first npx. One table on stdout
 * (progress on stderr). Every ratio is a median of per-round ratios: each round runs every
 * variant once in a new random order, bare node among them (lib/rounds.js). A missed target is
 * a row saying by how much, not a failure: the exit code is 0 unless the bench itself could not run.
 *
 * Knobs: BENCH_RUNS (start-up rounds, 20), BENCH_MINT_RUNS (15), BENCH_WARMUP (3),
 * BENCH_MEMORY_RUNS (3), BENCH_NPX_RUNS (5), BENCH_SKIP_FOOTPRINT=1 (no npm pack/install/npx),
 * BENCH_NODE24=<path> (a Node 24 binary; else npm exec fetches one), BENCH_SKIP_NODE24=1.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ROOT, childEnv, fileExists } from './lib/common.js';
import { footprint } from './lib/footprint-rows.js';
import { checkPython, mintSections } from './lib/mint-rows.js';
import { startup } from './lib/startup-rows.js';
import { createTable } from './lib/table.js';
import { standardChecks } from './loaded-modules.js';

const count = (name, fallback) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const SETTINGS = {
  runs: count('BENCH_RUNS', 20),
  mintRuns: count('BENCH_MINT_RUNS', 15),
  warmup: process.env.BENCH_WARMUP !== undefined && Number.isInteger(Number(process.env.BENCH_WARMUP)) ? Number(process.env.BENCH_WARMUP) : 3,
  memoryRuns: count('BENCH_MEMORY_RUNS', 3),
  npxRuns: count('BENCH_NPX_RUNS', 5),
  readingMs: count('BENCH_READING_MS', 1500),
  afterAllowRuns: count('BENCH_AFTER_ALLOW_RUNS', 5),
};

const started = performance.now();
const loadAtStart = loadavg()[0];
const progress = (line) => process.stderr.write(`bench: ${line}\n`);
const exec = promisify(execFile);

/** The Nodes measured: this one, and Node 24 from npm's `node` package unless told otherwise. */
async function nodes() {
  const list = [{ label: `Node ${process.versions.node}`, path: process.execPath }];
  if (process.env.BENCH_SKIP_NODE24 === '1') return list;
  try {
    const path =
      process.env.BENCH_NODE24 ||
      (await exec('npm', ['exec', '--yes', '--package=node@24', '--', 'node', '-p', 'process.execPath'], { env: childEnv(), timeout: 300_000 })).stdout.trim();
    const version = (await exec(path, ['-p', 'process.versions.node'])).stdout.trim();
    list.push({ label: `Node ${version}`, path });
  } catch (error) {
    progress(`no Node 24 (${String(error?.message ?? error).split('\n')[0]}); measuring ${list[0].label} only`);
  }
  return list;
}

async function moduleChecks(table, emulator, credentialsPath) {
  table.section('Modules and files loaded (issue 5: start-up loads only what it needs; issue 23: one file for the start path, one more for mint up to its consent URL)');
  try {
    for (const check of await standardChecks({ emulator, credentialsPath })) {
      if (check.ok === undefined) continue;
      table.row(`modules loaded by ${check.label}`, check.packages.join(', ') || '(no packages)', check.note || `files: ${check.distFiles.join(', ')}`, '', check.target, { met: check.ok, text: check.ok ? 'met' : 'missed' });
    }
  } catch (error) {
    table.failed('modules loaded', error);
  }
}

async function main() {
  const emulatorModule = join(ROOT, 'dist', 'emulator', 'index.cjs');
  if (!fileExists(emulatorModule) || !fileExists(join(ROOT, 'dist', 'cli', 'gmail-token.cjs'))) {
    process.stderr.write('bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`.\n');
    return 1;
  }
  const table = createTable();
  const { startEmulator } = await import(pathToFileURL(emulatorModule).href);
  const emulator = await startEmulator({ behaviour: { consent: 'approve' } });
  const work = mkdtempSync(join(tmpdir(), 'gmail-token-bench-'));
  const credentialsPath = join(work, 'credentials.json');
  writeFileSync(credentialsPath, JSON.stringify(emulator.credentialsFile()));
  const measured = await nodes();
  try {
    await checkPython(progress);
    progress('modules: --help, --version, usage errors, mint');
    await moduleChecks(table, emulator, credentialsPath);
    for (const [i, node] of measured.entries()) {
      await startup(table, node, SETTINGS, progress);
      await mintSections(table, node, { emulator, credentialsPath, work, settings: SETTINGS, progress, extras: i === 0 });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await emulator.close();
  }
  await footprint(table, SETTINGS, progress);

  const cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  table.print([
    `gmail-token bench — ${measured.map((node) => node.label).join(' and ')}, ${process.platform} ${process.arch}, ${cpus().length} × ${cpu}`,
    `1-minute load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end (other work on the machine skews wall times; ratios are per round)`,
    'ratio = median over rounds of gmail-token ÷ the thing compared in the same round (below 1 is faster/smaller); info = no target',
  ]);
  process.stdout.write(`\nbench took ${((performance.now() - started) / 1000).toFixed(1)} s (after the build)\n`);
  return 0;
}

process.exitCode = await main().catch((error) => {
  process.stderr.write(`bench: could not run: ${error?.stack ?? error}\n`);
  return 1;
});
