import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

beforeAll(async () => {
  workspace = makeWorkspace();
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workspace.dir], { cwd: ROOT });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  files = packed?.files.map((file) => file.path) ?? [];
  // --offline: the packages come from npm's cache (filled by `npm ci`), so the test needs no network.
  await run('npm', ['init', '-y'], { cwd: workspace.dir });
  await run('npm', ['install', '--offline', '--omit=dev', '--no-audit', '--no-fund', join(workspace.dir, packed?.filename ?? '')], { cwd: workspace.dir });
}, 120_000);
afterAll(() => workspace.cleanup());

describe('the published package', () => {
  it('ships only bin/, dist/, README, LICENSE and package.json', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(file).toMatch(/^(bin\/|dist\/|README\.md$|LICENSE$|package\.json$)/);
    expect(files).toContain('bin/gmail-token.js');
    expect(files).toContain('dist/cli/main.js');
  });

  it('installed into an empty folder, `npx gmail-token --help` and `--version` work', async () => {
    const help = await run('npx', ['--offline', 'gmail-token', '--help'], { cwd: workspace.dir });
    expect(help.stdout).toMatch(/Usage: gmail-token/);
    expect(help.stdout).toMatch(/mint/);
    const shown = await run('npx', ['--offline', 'gmail-token', '--version'], { cwd: workspace.dir });
    expect(shown.stdout.trim()).toBe(version);
  });
});
