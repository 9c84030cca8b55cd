import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorClient } from '../../src/emulator/index.js';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';
import { runOnTerminal } from '../helpers/pty.js';
import { makeWorkspace } from '../helpers/workspace.js';

/** Revoking reaches every token the account gave the client (issue 10, item 1). */

const h = useEmulatorHarness();
const others: ReturnType<typeof makeWorkspace>[] = [];
const terminals: ReturnType<typeof runOnTerminal>[] = [];

afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
  for (const other of others.splice(0)) other.cleanup();
});

function otherMachine(): string {
  const other = makeWorkspace();
  others.push(other);
  other.file('credentials.json', JSON.stringify(h.emulator.credentialsFile()));
  return other.dir;
}

function cli(args: string[], dir = h.workspace.dir) {
  return runInProcessToEnd(args, { cwd: dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
}

async function refreshes(token: Record<string, string>, client: Pick<EmulatorClient, 'clientId' | 'clientSecret'> = h.emulator.defaultClient): Promise<boolean> {
  const response = await fetch(`${h.emulator.origin}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh_token ?? '', client_id: client.clientId, client_secret: client.clientSecret }),
  });
  return response.status === 200;
}

function revokeRequests(): number {
  return h.emulator.received.filter((request) => request.path === '/revoke').length;
}

describe('revoke reaches every token of the account and client', () => {
  it("ends another machine's token for the same account, and says so off a terminal", async () => {
    const here = await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    const there = await mintTokenFile(h.emulator, otherMachine(), ['-s', 'send,email']);
    const otherAccount = await mintTokenFile(h.emulator, otherMachine(), ['-s', 'send,email', '--login-hint', 'someone-else@example.com']);
    expect(await refreshes(there)).toBe(true);

    const result = await cli(['revoke']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: Revoking ends this app's access to tester@example\.com: every token tester@example\.com gave this OAuth client .* stops working, on every machine\./);
    expect(result.stderr).toMatch(/Revoked the refresh token from token\.json/);
    expect(await refreshes(here)).toBe(false);
    expect(await refreshes(there)).toBe(false);
    expect(await refreshes(otherAccount)).toBe(true);
  });

  it("leaves the same account's tokens from another client alone", async () => {
    const other: EmulatorClient = { clientId: 'other-desktop.apps.googleusercontent.com', clientSecret: 'GOCSPX-other', type: 'installed', redirectUris: ['http://localhost'] };
    h.emulator.addClient(other);
    const dir = otherMachine();
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify(h.emulator.credentialsFile(other)));
    const fromOtherClient = await mintTokenFile(h.emulator, dir);
    await mintTokenFile(h.emulator, h.workspace.dir);
    expect((await cli(['revoke'])).code).toBe(0);
    expect(await refreshes(fromOtherClient, other)).toBe(true);
  });

  it('names "the account" when the token does not record one', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    const result = await cli(['revoke']);
    expect(result.stderr).toMatch(/warning: Revoking ends this app's access to the account: every token the account gave/);
  });
});

describe('revoke on a terminal', () => {
  const env = () => ({ GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort });

  function onTerminal(args: string[]) {
    const terminal = runOnTerminal(['revoke', ...args], { cwd: h.workspace.dir, env: env() });
    terminals.push(terminal);
    return terminal;
  }

  it('asks first, naming the account, and revokes nothing when the answer is no', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    h.emulator.received.length = 0;
    const terminal = onTerminal([]);
    await terminal.waitFor(/access to tester@example\.com: every token tester@example\.com gave this OAuth client/);
    await terminal.waitFor(/Revoke the refresh token from token\.json\?/);
    terminal.type('\r');
    const result = await terminal.exit;
    expect(result.code).toBe(1);
    expect(result.screen).toMatch(/Nothing was revoked/);
    expect(revokeRequests()).toBe(0);
    expect(await refreshes(token)).toBe(true);
  });

  it('revokes when the answer is yes', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    const terminal = onTerminal([]);
    await terminal.waitFor(/Revoke the refresh token from token\.json\?/);
    terminal.type('y\r');
    const result = await terminal.exit;
    expect(result.code).toBe(0);
    expect(result.screen).toMatch(/Revoked the refresh token from token\.json/);
    expect(await refreshes(token)).toBe(false);
  });

  it('--yes revokes without asking, still saying how far it reaches', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    const result = await onTerminal(['--yes']).exit;
    expect(result.code).toBe(0);
    expect(result.screen).not.toMatch(/Revoke the refresh token from token\.json\?/);
    expect(result.screen).toMatch(/every token tester@example\.com gave this OAuth client/);
    expect(await refreshes(token)).toBe(false);
  });
});
