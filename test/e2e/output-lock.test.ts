import { existsSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';

/**
 * The lock beside an output when the run that held it crashed (review 1, lock suspicion): a run
 * that found that lock dead must not remove a lock another run took while it was deciding.
 */

const SLOW_LOCK_JUDGE = fileURLToPath(new URL('../helpers/slow-lock-judge.mjs', import.meta.url));

const h = useEmulatorHarness();

/** Above Linux's largest pid, so no process has it: the run that wrote it is gone. */
const GONE = 999_999_999;

describe('a lock left by a run that is gone', () => {
  it('a lock another run took while this one judged the old one dead is left to that run', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    const tokenPath = join(h.workspace.dir, 'token.json');
    const expired = readFileSync(tokenPath, 'utf8').replace(/"expiry": "[^"]+"/, `"expiry": "${new Date(Date.now() - 60_000).toISOString()}"`);
    writeFileSync(tokenPath, expired, { mode: 0o600 });
    const lock = join(h.workspace.dir, '.token.json.gmail-token.lock');
    writeFileSync(lock, `${GONE}\n`);

    const run = runCli(['access-token'], {
      cwd: h.workspace.dir,
      env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, TEST_DEAD_PID: String(GONE), TEST_LOCK_PATH: lock },
      nodeArgs: ['--import', SLOW_LOCK_JUDGE],
    });
    await run.waitForStderr(/deciding whether the lock is abandoned/);
    // This test process, alive, takes the lock the way a run does after clearing a dead one.
    writeFileSync(`${lock}.ours`, `${process.pid}\n`);
    renameSync(`${lock}.ours`, lock);
    const result = await run.exit;

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Another gmail-token run is writing .*token\.json, so the new access token was not saved there/);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    expect(readFileSync(tokenPath, 'utf8')).toBe(expired);
  });

  it.each([
    ['empty (it crashed between creating the lock and writing its pid)', ''],
    ['holding no pid', 'not a pid\n'],
  ])('a lock %s is taken over once it is older than any run takes to write one', async (_what, content) => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    const tokenPath = join(h.workspace.dir, 'token.json');
    const expired = readFileSync(tokenPath, 'utf8').replace(/"expiry": "[^"]+"/, `"expiry": "${new Date(Date.now() - 60_000).toISOString()}"`);
    writeFileSync(tokenPath, expired, { mode: 0o600 });
    const lock = join(h.workspace.dir, '.token.json.gmail-token.lock');
    writeFileSync(lock, content);
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);

    const result = await runCli(['access-token'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } }).exit;

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const saved = JSON.parse(readFileSync(tokenPath, 'utf8')) as { token: string };
    expect(saved.token).toBe(result.stdout.trim());
    expect(existsSync(lock)).toBe(false);
  });

  it('a fresh lock holding no pid yet is left to its run', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    const tokenPath = join(h.workspace.dir, 'token.json');
    const expired = readFileSync(tokenPath, 'utf8').replace(/"expiry": "[^"]+"/, `"expiry": "${new Date(Date.now() - 60_000).toISOString()}"`);
    writeFileSync(tokenPath, expired, { mode: 0o600 });
    const lock = join(h.workspace.dir, '.token.json.gmail-token.lock');
    writeFileSync(lock, '');

    const result = await runCli(['access-token'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } }).exit;

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Another gmail-token run is writing .*token\.json, so the new access token was not saved there/);
    expect(readFileSync(tokenPath, 'utf8')).toBe(expired);
    expect(existsSync(lock)).toBe(true);
  });
});
