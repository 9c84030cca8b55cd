/**
 * Install footprint: `npm pack` of this project, and what `npm install --omit=dev` of that
 * tarball puts in an empty folder's node_modules, beside the same for @google-cloud/local-auth.
 */
import { execFile } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Quiet, offline-friendly installs that change nothing outside the folder. */
const INSTALL_FLAGS = ['--omit=dev', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', '--loglevel=error'];

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** `npm pack` into `into`; returns the tarball path and npm's own size figures. */
export async function packProject(root, into) {
  const { stdout } = await run(NPM, ['pack', '--json', '--pack-destination', into, '--loglevel=error'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const [info] = JSON.parse(stdout);
  const tarball = join(into, info.filename);
  const manifest = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout);
  const runtimeDependencies = ['dependencies', 'optionalDependencies', 'peerDependencies'].reduce((sum, field) => sum + Object.keys(manifest[field] ?? {}).length, 0);
  return { tarball, size: info.size, unpackedSize: info.unpackedSize, files: info.entryCount, runtimeDependencies };
}

/** The package name a folder `name` inside `parent` starts, if it is a package root. */
function packageAt(parent, name) {
  if (basename(parent) === 'node_modules') return name.startsWith('@') || name.startsWith('.') ? undefined : name;
  if (basename(parent).startsWith('@') && basename(dirname(parent)) === 'node_modules') return `${basename(parent)}/${name}`;
  return undefined;
}

/**
 * Walks node_modules: package count (every folder with a package.json at a package root, nested
 * ones included), apparent bytes, bytes on disk (allocated blocks), files, and bytes per package.
 */
function measureNodeModules(nodeModules) {
  const result = { packages: 0, bytes: 0, diskBytes: 0, files: 0, names: [], bytesByPackage: new Map() };
  /** Sizes go to the package whose folder holds the file (nested node_modules count as their own). */
  const walk = (dir, owner) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const stats = lstatSync(path);
      result.diskBytes += stats.blocks * 512;
      if (entry.isDirectory()) walk(path, packageAt(dir, entry.name) ?? owner);
      else {
        result.files += 1;
        result.bytes += stats.size;
        result.bytesByPackage.set(owner, (result.bytesByPackage.get(owner) ?? 0) + stats.size);
      }
    }
  };
  const packagesIn = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        for (const scoped of readdirSync(path, { withFileTypes: true })) {
          if (scoped.isDirectory()) countPackage(join(path, scoped.name), `${entry.name}/${scoped.name}`);
        }
      } else countPackage(path, entry.name);
    }
  };
  const countPackage = (path, name) => {
    if (!existsSync(join(path, 'package.json'))) return;
    result.packages += 1;
    result.names.push(name);
    packagesIn(join(path, 'node_modules'));
  };
  if (existsSync(nodeModules)) {
    walk(nodeModules, '(node_modules)');
    packagesIn(nodeModules);
  }
  return result;
}

/** The first chain of dependencies from the root to `name` in `npm ls --json` output. */
function chainTo(tree, name, trail = []) {
  for (const [child, node] of Object.entries(tree.dependencies ?? {})) {
    if (child === name) return [...trail, child];
    const found = chainTo(node, name, [...trail, child]);
    if (found) return found;
  }
  return undefined;
}

/**
 * Installs `spec` (a tarball path or name@version) into a new empty folder and measures
 * node_modules; `largest` names the biggest packages and how they got there.
 */
export async function installed(spec, prefix) {
  const dir = tempDir(prefix);
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-footprint', version: '0.0.0', private: true }));
    await run(NPM, ['install', ...INSTALL_FLAGS, spec], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    const measured = measureNodeModules(join(dir, 'node_modules'));
    // What `du -sk` counts (blocks, each file at least one): issue 23's 1,024 KiB.
    const duKiB = Number((await run('du', ['-sk', join(dir, 'node_modules')])).stdout.split('\t')[0]);
    const { stdout } = await run(NPM, ['ls', '--all', '--json', '--omit=dev', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).catch((error) => ({ stdout: error.stdout ?? '{}' }));
    let tree = {};
    try {
      tree = JSON.parse(stdout);
    } catch {
      tree = {};
    }
    const largest = [...measured.bytesByPackage.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([name, bytes]) => ({ name, bytes, chain: chainTo(tree, name) ?? [name] }));
    return { ...measured, duKiB, largest };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
