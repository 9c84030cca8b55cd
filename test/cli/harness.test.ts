import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runInProcess, runInProcessToEnd } from '../helpers/run-cli.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gmail-token-harness-'));
  folders.push(dir);
  return dir;
}

describe('the in-process harness runs the real program with its own IO', () => {
  it('--version and --help print on stdout and exit 0, leaving process.exitCode alone', async () => {
    const version = await runInProcessToEnd(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}\n`);
    const help = await runInProcessToEnd(['mint', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: gmail-token mint/);
    expect(process.exitCode).toBeUndefined();
  });

  it('a usage error is one message on the run stderr, exit 2', async () => {
    const result = await runInProcessToEnd(['mint', '--format', 'yaml']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/argument 'yaml' is invalid/);
  });

  it('relative paths are taken from the run folder, not the process one', async () => {
    const cwd = folder();
    const result = await runInProcessToEnd(['emulator', '--write-credentials', 'not-a-folder/credentials.json'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(cwd, 'not-a-folder'));
  });

  it('the environment is the run own: NO_COLOR off and FORCE_COLOR on paint the error, without touching process.env', async () => {
    const plain = await runInProcessToEnd(['check', '--token-file', 'missing.json'], { cwd: folder() });
    expect(plain.stderr).toMatch(/^error: /);
    const painted = await runInProcessToEnd(['check', '--token-file', 'missing.json'], { cwd: folder(), env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(painted.code).toBe(plain.code);
    expect(painted.stderr.startsWith('\u001b[31merror: ')).toBe(true);
    expect(process.env.FORCE_COLOR).toBeUndefined();
  });

  it('a signal reaches the emulator command, which stops with 130 and removes its listeners', async () => {
    const run = runInProcess(['emulator']);
    await run.waitForStderr(/Press Ctrl-C to stop/);
    expect(run.stdout()).toMatch(/^127\.0\.0\.1:\d+\n$/);
    run.child.kill('SIGINT');
    const result = await run.exit;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Emulator stopped.');
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('a signal nobody listens for ends the run as it would end the process', async () => {
    const run = runInProcess(['emulator']);
    await run.waitForStderr(/Press Ctrl-C to stop/);
    run.child.kill('SIGINT');
    await run.exit;
    const idle = runInProcess(['mint', '--manual', '--client-id', 'x.apps.googleusercontent.com', '--client-secret', 's'], { keepStdinOpen: true });
    idle.child.kill('SIGHUP');
    expect(await idle.exit).toMatchObject({ code: null, signal: 'SIGHUP' });
    // Unlike a process, the abandoned run goes on: ending its stdin lets it close its port.
    idle.child.stdin.end();
  });
});
