#!/usr/bin/env node
/**
 * Which packages does a gmail-token command load? Runs the built CLI under a preload
 * (lib/module-log.mjs) that logs every ES module resolved and every CommonJS file loaded, and
 * reduces that to package names, plus the project's own source files. The CLI is a bundle
 * (issue 9): each dist/ chunk it loads counts as the packages and src/ files esbuild put in it, as
 * the build's metafile (.build/metafile.json) records.
 *
 *   node bench/loaded-modules.js                 the standard checks (issue 5, item 1)
 *   node bench/loaded-modules.js -- --help       any gmail-token arguments
 *
 * For `mint`, it starts the emulator, plays the browser, and splits what was loaded before the
 * consent URL was printed from what was loaded after.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, ROOT, SCOPE, childEnv, playBrowser, timedRun } from './lib/common.js';

const METAFILE = join(ROOT, '.build', 'metafile.json');

const HOOK = fileURLToPath(new URL('./lib/module-log.mjs', import.meta.url));

/** What may load for --help, --version and argument errors (issue 5, item 1). */
export const ALLOWED_AT_START = ['chalk', 'commander'];
/** The one file of the package that --help, --version and argument errors read (issue 23). */
export const START_FILES = ['dist/cli/gmail-token.cjs'];
/** And mint, up to its consent URL: one file of its own (issue 23), which bundles the loopback server's server-destroy. */
export const MINT_FILES = [...START_FILES, 'dist/cli/commands/mint.cjs'];
const MINT_PACKAGES = [...ALLOWED_AT_START, 'server-destroy'];
/** What must not load before `mint` has printed its consent URL. */
export const NOT_BEFORE_URL = ['google-auth-library', 'gaxios', 'gcp-metadata', '@inquirer/confirm', '@inquirer/input', '@inquirer/core', 'open'];

/** `…/node_modules/@scope/name/x.js` → `@scope/name`. */
function packageOf(path) {
  const parts = path.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const first = parts[at + 1] ?? '';
  return first.startsWith('@') ? `${first}/${parts[at + 2]}` : first;
}

let chunkContents;
/** dist/ chunk → what esbuild bundled into it: `gmail-token:src/…` files and package names. */
function contentsOf(chunk) {
  chunkContents ??= new Map(
    Object.entries(JSON.parse(readFileSync(METAFILE, 'utf8')).outputs).map(([output, { inputs }]) => {
      const names = Object.keys(inputs).filter((input) => !/^[\w-]+:/.test(input));
      const sources = names.filter((input) => input.startsWith('src/')).map((input) => `gmail-token:${input}`);
      return [output, [...sources, ...new Set(names.map(packageOf).filter(Boolean))]];
    }),
  );
  return chunkContents.get(chunk) ?? [`gmail-token:${chunk}`];
}

/** What one loaded file stands for: a package name, or project files (`gmail-token:…`). */
function ownersOf(path) {
  const name = packageOf(path);
  if (name) return [name];
  const inProject = relative(ROOT, path).split(sep).join('/');
  if (inProject.startsWith('dist/')) return contentsOf(inProject);
  if (!inProject.startsWith('..')) return [`gmail-token:${inProject}`];
  return [path];
}

function parseLog(text) {
  const before = { packages: new Set(), files: new Set(), dist: new Set() };
  const all = { packages: new Set(), files: new Set(), dist: new Set() };
  let marked = false;
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const kind = line.slice(0, space);
    const value = line.slice(space + 1);
    if (kind === 'mark') {
      marked = true;
      continue;
    }
    let path;
    if (kind === 'esm' && value.startsWith('file:')) path = fileURLToPath(value);
    else if (kind === 'cjs' || kind === 'cjs-at-exit') path = value;
    if (!path || path === HOOK || path.startsWith(join(ROOT, 'bench') + sep)) continue;
    const inProject = relative(ROOT, path).split(sep).join('/');
    if (inProject.startsWith('dist/')) {
      all.dist.add(inProject);
      if (!marked && kind !== 'cjs-at-exit') before.dist.add(inProject);
    }
    for (const owner of ownersOf(path)) {
      const bucket = owner.startsWith('gmail-token:') ? 'files' : 'packages';
      all[bucket].add(owner);
      if (!marked && kind !== 'cjs-at-exit') before[bucket].add(owner);
    }
  }
  const sorted = (set) => [...set].sort();
  return {
    packages: sorted(all.packages),
    files: sorted(all.files),
    distFiles: sorted(all.dist),
    marked,
    beforeUrl: marked ? { packages: sorted(before.packages), files: sorted(before.files), distFiles: sorted(before.dist) } : undefined,
  };
}

/**
 * Runs `gmail-token ...args` with the module log; returns the packages and project files it loaded.
 * `emulator` (the bundle's dist/emulator entry) is needed for `mint`: the browser is played against it.
 */
export async function loadedModules(args, { emulator, cwd } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'gmail-token-bench-modules-'));
  const log = join(work, 'modules.log');
  writeFileSync(log, '');
  try {
    const env = childEnv({ BENCH_MODULE_LOG: log, ...(emulator ? { GMAIL_TOKEN_EMULATOR_HOST: emulator.hostPort } : {}) });
    const run = await timedRun(process.execPath, ['--import', pathToFileURL(HOOK).href, BIN, ...args], {
      env,
      cwd: cwd ?? work,
      onConsentUrl: emulator ? playBrowser : undefined,
    });
    return { code: run.code, ...parseLog(readFileSync(log, 'utf8')) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The checks of issue 5, item 1, as rows: [label, loaded packages, ok, note]. */
export async function standardChecks({ emulator, credentialsPath }) {
  const rows = [];
  const startOnly = async (label, args, allowedFiles = START_FILES, allowedPackages = ALLOWED_AT_START) => {
    const result = await loadedModules(args);
    const extra = result.packages.filter((name) => !allowedPackages.includes(name));
    const emulatorCode = result.files.filter((file) => file.startsWith('gmail-token:src/emulator/'));
    const otherFiles = result.distFiles.filter((file) => !allowedFiles.includes(file));
    const ok = extra.length === 0 && emulatorCode.length === 0 && otherFiles.length === 0;
    const note = ok ? '' : `unexpected: ${[...extra, ...emulatorCode, ...otherFiles].join(', ')}`;
    const target = `only ${allowedPackages.join(', ')}; ${allowedFiles.length} file${allowedFiles.length > 1 ? 's' : ''}`;
    rows.push({ label, packages: result.packages, ok, note, target, code: result.code, files: result.files, distFiles: result.distFiles });
  };
  await startOnly('--help', ['--help']);
  await startOnly('--version', ['--version']);
  await startOnly('usage error: mint --format xml', ['mint', '--format', 'xml']);
  // mint checks these itself, in its own file, before anything else.
  await startOnly('usage error: mint --port abc', ['mint', '--port', 'abc'], MINT_FILES, MINT_PACKAGES);
  await startOnly('usage error: mint -s nosuchscope', ['mint', '-s', 'nosuchscope'], MINT_FILES, MINT_PACKAGES);
  await startOnly('usage error: unknown command', ['nosuchcommand']);

  const mint = await loadedModules(['mint', '--no-open', '-o', '-', '-c', credentialsPath, '-s', SCOPE], { emulator });
  const early = mint.beforeUrl?.packages ?? [];
  const tooEarly = early.filter((name) => NOT_BEFORE_URL.includes(name));
  const emulatorCode = mint.files.filter((file) => file.startsWith('gmail-token:src/emulator/'));
  const earlyFiles = mint.beforeUrl?.distFiles ?? [];
  const moreFiles = earlyFiles.filter((file) => !MINT_FILES.includes(file));
  const mintOk = mint.code === 0 && mint.marked && tooEarly.length === 0 && emulatorCode.length === 0 && moreFiles.length === 0;
  rows.push({
    label: 'mint, before the consent URL',
    packages: early,
    ok: mintOk,
    note: !mint.marked ? 'consent URL never printed' : mint.code !== 0 ? `mint exited ${mint.code}` : tooEarly.length ? `loaded too early: ${tooEarly.join(', ')}` : emulatorCode.length ? `emulator code loaded: ${emulatorCode.join(', ')}` : moreFiles.length ? `more files than ${MINT_FILES.join(', ')}: ${earlyFiles.join(', ')}` : '',
    target: `none of google-auth-library, open, prompts; ${MINT_FILES.length} files`,
    code: mint.code,
    files: mint.beforeUrl?.files ?? [],
    distFiles: earlyFiles,
  });
  rows.push({ label: 'mint, whole run', packages: mint.packages, ok: undefined, note: '', code: mint.code, files: mint.files, distFiles: mint.distFiles });
  return rows;
}

async function cli(argv) {
  const dashes = argv.indexOf('--');
  const args = dashes >= 0 ? argv.slice(dashes + 1) : [];
  const { startEmulator } = await import(pathToFileURL(join(ROOT, 'dist', 'emulator', 'index.cjs')).href);
  const emulator = await startEmulator({ behaviour: { consent: 'approve' } });
  const work = mkdtempSync(join(tmpdir(), 'gmail-token-bench-creds-'));
  const credentialsPath = join(work, 'credentials.json');
  writeFileSync(credentialsPath, JSON.stringify(emulator.credentialsFile()));
  try {
    if (args.length > 0) {
      const result = await loadedModules(args, { emulator: args[0] === 'mint' ? emulator : undefined, cwd: work });
      console.log(`gmail-token ${args.join(' ')} (exit ${result.code})`);
      console.log(`  packages: ${result.packages.join(', ') || '(none)'}`);
      if (result.beforeUrl) console.log(`  before the consent URL: ${result.beforeUrl.packages.join(', ') || '(none)'}`);
      console.log(`  project files: ${result.files.map((file) => file.replace('gmail-token:', '')).join(', ')}`);
      return;
    }
    for (const row of await standardChecks({ emulator, credentialsPath })) {
      const mark = row.ok === undefined ? ' ' : row.ok ? '✓' : '✗';
      console.log(`${mark} ${row.label} (exit ${row.code}): ${row.packages.join(', ') || '(no packages)'}${row.note ? ` — ${row.note}` : ''}`);
      console.log(`    project files: ${row.files.map((file) => file.replace('gmail-token:', '')).join(', ')}`);
      console.log(`    package files read: ${row.distFiles.join(', ')}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await emulator.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await cli(process.argv.slice(2));
}
