import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../helpers/workspace.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const MIB = 1024 * 1024;

let workspace: ReturnType<typeof makeWorkspace>;
let consumer: string;
let files: { path: string; mode: number }[];
let packedManifest: Record<string, unknown>;

/** Bytes of every file under `dir`. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/**
 * `npm pack`, then `npm install --offline` of that tarball into an empty project with an empty
 * npm cache: what works here needs nothing from the registry (SPEC Package).
 */
beforeAll(async () => {
  workspace = makeWorkspace();
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workspace.dir], { cwd: ROOT });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string; mode: number }[] }[];
  files = packed?.files ?? [];
  const tarball = join(workspace.dir, packed?.filename ?? '');
  packedManifest = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout) as Record<string, unknown>;
  consumer = join(workspace.dir, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const cache = join(workspace.dir, 'empty-npm-cache');
  await run('npm', ['install', '--offline', '--cache', cache, '--no-audit', '--no-fund', tarball], { cwd: consumer });
}, 120_000);
afterAll(() => workspace.cleanup());

describe('the published package', () => {
  it('ships only dist/, README, LICENSE and package.json, with no source maps', () => {
    const paths = files.map((file) => file.path);
    for (const path of paths) expect(path).toMatch(/^(dist\/|README\.md$|LICENSE$|package\.json$)/);
    for (const path of ['dist/cli/gmail-token.cjs', 'dist/emulator/index.cjs', 'dist/THIRD-PARTY-LICENSES.txt', 'README.md', 'LICENSE']) expect(paths).toContain(path);
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
  });

  it("ships open's xdg-open script, executable, beside the bundled open", () => {
    const script = files.find((file) => file.path.endsWith('/xdg-open'));
    expect(script?.path).toMatch(/^dist\//);
    expect((script?.mode ?? 0) & 0o111).toBe(0o111);
  });

  it('declares no dependencies of any kind', () => {
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies']) {
      expect(packedManifest[field], field).toBeUndefined();
    }
  });

  it('installs offline from an empty npm cache as one package of at most 1 MiB', () => {
    const installed = readdirSync(join(consumer, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed).toEqual(['gmail-token']);
    expect(bytesUnder(join(consumer, 'node_modules', 'gmail-token'))).toBeLessThanOrEqual(MIB);
  });

  // Issue 23: a first `npx` pays 5–7 ms a file, and du counts each file as at least a block.
  it('is at most 35 files, and at most 1,024 KiB installed as `du -sk` counts it', async () => {
    expect(files.length).toBeLessThanOrEqual(35);
    const { stdout } = await run('du', ['-sk', join(consumer, 'node_modules', 'gmail-token')]);
    expect(Number(stdout.split('\t')[0])).toBeLessThanOrEqual(1024);
  });

  it('installed so, `npx gmail-token --help` and `--version` work', async () => {
    const help = await run('npx', ['--offline', 'gmail-token', '--help'], { cwd: consumer });
    expect(help.stdout).toMatch(/Usage: gmail-token/);
    expect(help.stdout).toMatch(/mint/);
    const shown = await run('npx', ['--offline', 'gmail-token', '--version'], { cwd: consumer });
    expect(shown.stdout.trim()).toBe(version);
  });

  it("installed so, runs the README's session: emulator, mint, check, access-token, revoke", async () => {
    const session = await run(process.execPath, [join(ROOT, '.ci', 'installed-session.mjs'), consumer], { timeout: 60_000 });
    for (const step of ['mint', 'check', 'access-token', 'revoke']) expect(session.stdout).toContain(`installed gmail-token ${step}: ok`);
  }, 60_000);
});
