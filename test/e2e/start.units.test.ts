/**
 * Issue 23 on the built files: the start path (help, version, usage errors) reads one file,
 * dist/cli/gmail-token.cjs; mint up to its consent URL one more, its own; what it needs after
 * consent one more again; and an error thrown in a command's own file still ends with its exit code.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runCli, runCliToEnd } from '../helpers/cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../helpers/loaded-files.cjs', import.meta.url));
const START = 'dist/cli/gmail-token.cjs';
const MINT = 'dist/cli/commands/mint.cjs';
const h = useEmulatorHarness();

/** The package's files loaded before each mark (`consent URL`, `exit`), relative to the package. */
function loadedBefore(log: string): Record<string, string[]> {
  const marks: Record<string, string[]> = {};
  const files: string[] = [];
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    if (line.startsWith('-- ')) marks[line.slice(3)] = [...files];
    else if (line.startsWith(join(ROOT, 'dist'))) files.push(relative(ROOT, line));
  }
  return marks;
}

const logged = (name: string) => ({ nodeArgs: ['--require', PRELOAD], env: { LOADED_FILES_LOG: join(h.workspace.dir, name) } });

describe('the start path', () => {
  it.each([
    ['--help', ['--help'], 0],
    ['--version', ['--version'], 0],
    ['a usage error', ['mint', '--format', 'xml'], 2],
    ['an unknown command', ['nosuchcommand'], 2],
  ])('%s loads the start file and nothing else of the package', async (_name, args, code) => {
    const result = await runCliToEnd(args, { cwd: h.workspace.dir, ...logged('log') });
    expect(result.code).toBe(code);
    expect(loadedBefore(join(h.workspace.dir, 'log')).exit).toEqual([START]);
  });

  it("mint prints the consent URL from the start file and its own; after consent, one more file and google-auth-library", async () => {
    const run = runCli(['mint', '--no-open', '-o', '-'], { cwd: h.workspace.dir, ...logged('log'), env: { ...logged('log').env, GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    await followConsent(await run.consentUrl());
    expect((await run.exit).code).toBe(0);
    const loaded = loadedBefore(join(h.workspace.dir, 'log'));
    expect(loaded['consent URL']).toEqual([START, MINT]);
    expect(loaded.exit).toEqual([START, MINT, 'dist/oauth/after-consent.cjs', 'dist/vendor/google-auth-library.cjs']);
  });
});

describe("an error thrown in a command's own file", () => {
  it('a usage error there ends with exit 2 and its one-line message', async () => {
    const result = await runCliToEnd(['check', '--token-file', 'missing.json'], { cwd: h.workspace.dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^error: The token file \S*missing\.json does not exist\.$/);
  });

  it('a flow error there ends with exit 1 and its message, not as an unexpected error', async () => {
    const result = await runCliToEnd(['access-token', '--token', 'not-a-token-it-issued', '-c', 'credentials.json'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*invalid_grant/m);
    expect(result.stderr).not.toMatch(/Unexpected/);
  });
});
