import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redirectUriOf } from '../helpers/browser.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { runInProcess } from '../helpers/run-cli.js';
import { isListening, makeWorkspace } from '../helpers/workspace.js';

const h = useEmulatorHarness();

/** Consent in "another browser": the emulator redirects to a loopback URL nobody serves. */
async function redirectedUrl(consentUrl: string): Promise<string> {
  const answer = await fetch(consentUrl, { redirect: 'manual' });
  return answer.headers.get('location') ?? '';
}

function manualMint(args: string[] = []) {
  return runInProcess(['mint', '--manual', ...args], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, BROWSER: 'false' }, keepStdinOpen: true });
}

function tokenFile() {
  return JSON.parse(readFileSync(join(h.workspace.dir, 'token.json'), 'utf8')) as Record<string, string>;
}

describe('mint --manual from a pipe', () => {
  it('reads the pasted redirect URL from stdin, with no server listening and no browser launched', async () => {
    const run = manualMint();
    const url = await run.consentUrl();
    await run.waitForStderr(/can't be reached.*expected/);
    await run.waitForStderr(/paste it here/);
    const redirect = redirectUriOf(url);
    expect(await isListening(Number(redirect.port))).toBe(false);
    run.child.stdin?.end((await redirectedUrl(url)) + '\n');
    const result = await run.exit;
    expect(result.code).toBe(0);
    expect(tokenFile().type).toBe('authorized_user');
    expect(h.emulator.received.filter((request) => request.path === '/token').at(-1)?.form.redirect_uri).toBe(redirect.toString());
  });

  it('accepts the bare code', async () => {
    const run = manualMint(['-o', '-']);
    const location = new URL(await redirectedUrl(await run.consentUrl()));
    run.child.stdin?.end(`${location.searchParams.get('code')}\n`);
    const result = await run.exit;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).type).toBe('authorized_user');
  });

  it('refuses a pasted URL with another state: exit 2, nothing written', async () => {
    const run = manualMint();
    const location = new URL(await redirectedUrl(await run.consentUrl()));
    location.searchParams.set('state', 'forged');
    run.child.stdin?.end(`${location}\n`);
    const result = await run.exit;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/does not carry this run's state/);
    expect(existsSync(join(h.workspace.dir, 'token.json'))).toBe(false);
  });

  it('fails with the reason when stdin ends before anything is pasted', async () => {
    const run = manualMint();
    await run.consentUrl();
    run.child.stdin?.end();
    const result = await run.exit;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/stdin ended/);
  });
});

describe('without a terminal', () => {
  it('a missing credentials.json fails naming --credentials', async () => {
    const empty = makeWorkspace();
    try {
      const run = runInProcess(['mint', '--no-open'], { cwd: empty.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
      const result = await run.exit;
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/No credentials\.json here.*--credentials/);
    } finally {
      empty.cleanup();
    }
  });
});
