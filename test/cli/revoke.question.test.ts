import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';

/**
 * revoke's question on a terminal, in this process (revoke.reach.test.ts proves the same on a real
 * terminal, which mutation testing cannot see): only a typed yes revokes; no, Ctrl-D and --yes
 * each do what the person sees said.
 */

const h = useEmulatorHarness();

function onTerminal(args: string[]) {
  return runInProcess(['revoke', ...args], { cwd: h.workspace.dir, tty: true, keepStdinOpen: true, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
}

async function refreshes(token: Record<string, string>): Promise<boolean> {
  const { clientId, clientSecret } = h.emulator.defaultClient;
  const response = await fetch(`${h.emulator.origin}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh_token ?? '', client_id: clientId, client_secret: clientSecret }),
  });
  return response.status === 200;
}

function revokeRequests(): number {
  return h.emulator.received.filter((request) => request.path === '/revoke').length;
}

const QUESTION = /\? Revoke the refresh token from token\.json\?/;

describe('revoke asks on a terminal', () => {
  it('revokes at a typed yes, and says the app lost access', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    h.emulator.received.length = 0;
    const run = onTerminal([]);
    await run.waitForStderr(QUESTION);
    expect(run.stderr()).toMatch(/^Revoking ends this app's access to tester@example\.com: every token tester@example\.com gave this OAuth client \(client \S+\) stops working, on every machine\.$/m);
    expect(run.stderr()).not.toMatch(/warning:/);
    run.child.stdin.write('y\r');
    const result = await run.exit;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Revoked the refresh token from token\.json\./);
    expect(result.stderr).toMatch(/The app no longer has access to the account: mint again to get a new token\./);
    expect(revokeRequests()).toBe(1);
    expect(await refreshes(token)).toBe(false);
  });

  for (const [how, keys] of [['a typed no', 'n\r'], ['Enter (the answer unless typed is no)', '\r'], ['Ctrl-D', '\u0004']] as const) {
    it(`revokes nothing at ${how}, and the token still works`, async () => {
      const token = await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
      h.emulator.received.length = 0;
      const run = onTerminal([]);
      await run.waitForStderr(QUESTION);
      run.child.stdin.write(keys);
      const result = await run.exit;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Nothing was revoked\./);
      expect(result.stderr).not.toMatch(/Revoked the/);
      expect(revokeRequests()).toBe(0);
      expect(await refreshes(token)).toBe(true);
    });
  }

  it('names the access token when that is all there is', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    h.workspace.file('access.json', JSON.stringify({ token: token.token }));
    const run = onTerminal(['--token-file', 'access.json']);
    await run.waitForStderr(/\? Revoke the access token from access\.json\?/);
    // The file records no client, so none is named.
    expect(run.stderr()).toMatch(/^Revoking ends this app's access to the account: every token the account gave this OAuth client stops working, on every machine\.$/m);
    run.child.stdin.write('n\r');
    expect((await run.exit).code).toBe(1);
  });

  it('-y asks nothing and warns how far revoking reaches instead', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    const run = onTerminal(['-y']);
    const result = await run.exit;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/Revoke the refresh token/);
    expect(result.stderr).toMatch(/warning: Revoking ends this app's access to tester@example\.com/);
    expect(await refreshes(token)).toBe(false);
  });

  it('a token already revoked: Google says so, and nothing claims access was just lost', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    expect((await onTerminal(['-y']).exit).code).toBe(0);
    const result = await onTerminal(['-y']).exit;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Google says the refresh token from token\.json is already invalid/);
    expect(result.stderr).not.toMatch(/The app no longer has access/);
  });
});
