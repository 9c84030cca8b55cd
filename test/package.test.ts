import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from './helpers/workspace.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let workspace: ReturnType<typeof makeWorkspace>;
let files: string[];

/**
 * Lays the packed tarball out as `npm install` would in an empty project. Its dependencies are
 * linked from this checkout's node_modules: a real install would resolve the newest matching
 * versions from the registry, and the tests talk to nothing but 127.0.0.1 (.ci/run does the real
 * install from the registry).
 */
async function installOffline(tarball: string, into: string): Promise<void> {
  const modules = join(into, 'node_modules');
  mkdirSync(join(modules, 'gmail-token'), { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', join(modules, 'gmail-token'), '--strip-components=1']);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name.startsWith('.') || name === 'gmail-token') continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  mkdirSync(join(modules, '.bin'));
  symlinkSync('../gmail-token/bin/gmail-token.js', join(modules, '.bin', 'gmail-token'));
  writeFileSync(join(into, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { 'gmail-token': version } }));
}

beforeAll(async () => {
  workspace = makeWorkspace();
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workspace.dir], { cwd: ROOT });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  files = packed?.files.map((file) => file.path) ?? [];
  await installOffline(join(workspace.dir, packed?.filename ?? ''), join(workspace.dir, 'consumer'));
}, 120_000);
afterAll(() => workspace.cleanup());

describe('the published package', () => {
  it('ships only bin/, dist/, README, LICENSE and package.json', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(file).toMatch(/^(bin\/|dist\/|README\.md$|LICENSE$|package\.json$)/);
    expect(files).toContain('bin/gmail-token.js');
    expect(files).toContain('dist/cli/main.js');
  });

  it('laid out as installed in an empty project, `npx gmail-token --help` and `--version` work', async () => {
    const consumer = join(workspace.dir, 'consumer');
    const help = await run('npx', ['--offline', 'gmail-token', '--help'], { cwd: consumer });
    expect(help.stdout).toMatch(/Usage: gmail-token/);
    expect(help.stdout).toMatch(/mint/);
    const shown = await run('npx', ['--offline', 'gmail-token', '--version'], { cwd: consumer });
    expect(shown.stdout.trim()).toBe(version);
  });
});
