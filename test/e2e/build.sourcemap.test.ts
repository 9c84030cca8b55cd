/**
 * Source maps are not in the package (issue 23: each file costs a first `npx` 5–7 ms); a
 * contributor who wants DEBUG=gmail-token stacks to name src/ lines builds them in:
 * `npm run build -- --sourcemap`, then runs with NODE_OPTIONS=--enable-source-maps.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childEnvironment } from '../helpers/environment.js';
import { useEmulatorHarness } from '../helpers/harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const h = useEmulatorHarness();

// A fault no input can cause: the system's random source fails under mint.
const BROKEN_RANDOM = `data:text/javascript,${encodeURIComponent(
  "import crypto from 'node:crypto'; import { syncBuiltinESMExports } from 'node:module'; crypto.randomBytes = () => { throw new Error('no entropy'); }; syncBuiltinESMExports();",
)}`;

describe('npm run build -- --sourcemap', () => {
  it('writes a map beside each file, and with them a DEBUG stack names our source files and lines', async () => {
    // Built elsewhere than dist/, which other tests are running; package.json where the bin looks for it.
    const outdir = join(h.workspace.dir, 'package', 'dist');
    await run(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--sourcemap', '--outdir', outdir], { cwd: ROOT });
    copyFileSync(join(ROOT, 'package.json'), join(h.workspace.dir, 'package', 'package.json'));
    expect(existsSync(join(outdir, 'cli', 'gmail-token.cjs.map'))).toBe(true);
    const env = childEnvironment({ GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, NODE_OPTIONS: `--enable-source-maps --import=${BROKEN_RANDOM}`, DEBUG: 'gmail-token' });
    const failed = await run(process.execPath, [join(outdir, 'cli', 'gmail-token.cjs'), 'mint', '--no-open', '-o', '-'], { cwd: h.workspace.dir, env }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in failed ? failed.code : 0).toBe(1);
    expect(failed.stderr).toMatch(/Error: no entropy/);
    expect(failed.stderr).toMatch(/at createPkce \(\S*\/src\/oauth\/pkce\.ts:\d+:\d+\)/);
  }, 60_000);
});
