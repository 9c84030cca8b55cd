import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * npm's pretest on a machine without the Debian programs: here a PATH with none of them (nor
 * apt-get, so even as root nothing can be installed). Off CI it names each missing program and
 * how to install it in one line and lets the tests run (they skip what they cannot); under CI it
 * fails.
 */
const SCRIPT = fileURLToPath(new URL('../tools/system-deps.mjs', import.meta.url));

let workspace: ReturnType<typeof makeWorkspace>;
afterEach(() => workspace.cleanup());

function pretest(env: Record<string, string>) {
  workspace = makeWorkspace();
  const run = spawnSync(process.execPath, [SCRIPT], { env: { PATH: workspace.dir, ...env }, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the pretest without the programs on PATH', () => {
  it('off CI: one line naming each missing program and the command that installs it, exit 0', () => {
    const { code, stdout, stderr } = pretest({});
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Skipping the tests that need .*msmtp, neomutt, .*git send-email/);
    expect(stderr).toMatch(/apt-get install -y .*\bmsmtp neomutt\b.*\bgit git-email libmailtools-perl\b/);
  });

  it('under CI: the same programs named, exit 1', () => {
    const { code, stderr } = pretest({ CI: 'true' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^The tests need .*msmtp, neomutt.*, which are missing; install them with: .*apt-get install -y /);
  });
});
