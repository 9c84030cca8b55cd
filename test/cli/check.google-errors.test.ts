import { describe, expect, it } from 'vitest';
import { INVALID_RAPT_FAULT, type EmulatorClient } from '../../src/emulator/index.js';
import { followConsent } from '../helpers/browser.js';
import { runInProcess, runInProcessToEnd } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';

/** The token endpoint's refusals a real user meets, and what the CLI says (issue 10, item 4). */

const h = useEmulatorHarness();

const OTHER: EmulatorClient = { clientId: 'another-desktop.apps.googleusercontent.com', clientSecret: 'GOCSPX-another', type: 'installed', redirectUris: ['http://localhost'] };

function cli(args: string[]) {
  return runInProcessToEnd(args, { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
}

function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.startsWith('error: '));
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

async function refreshBody(token: Record<string, string>, client: Pick<EmulatorClient, 'clientId' | 'clientSecret'>) {
  const response = await fetch(`${h.emulator.origin}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh_token ?? '', client_id: client.clientId, client_secret: client.clientSecret }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("another client's token", () => {
  it('the emulator answers 401 unauthorized_client "Unauthorized"', async () => {
    h.emulator.addClient(OTHER);
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    expect(await refreshBody(token, OTHER)).toEqual({ status: 401, body: { error: 'unauthorized_client', error_description: 'Unauthorized' } });
  });

  // access-token is given the bare refresh token, which it refreshes every time (SPEC `access-token`).
  it.each([['check'], ['access-token']])('%s says the token belongs to a different OAuth client, exit 1', async (command) => {
    h.emulator.addClient(OTHER);
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    h.workspace.file('other-credentials.json', JSON.stringify(h.emulator.credentialsFile(OTHER)));
    const result = await cli([command, '--token', token.refresh_token ?? '', '-c', 'other-credentials.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result.stderr)).toMatch(
      /\(unauthorized_client\): it belongs to a different OAuth client\. Use it with the credentials\.json it was minted with, or mint a new token with this client\./,
    );
    expect(result.stderr).not.toContain(token.refresh_token);
    expect((await cli([command, '--token', token.refresh_token ?? '', '-c', 'credentials.json'])).code).toBe(0);
  });
});

describe('admin_policy_enforced', () => {
  it('on refresh: a Workspace admin policy blocks the app, ask the admin', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    h.emulator.behaviour.tokenFault = { kind: 'oauth-error', error: 'admin_policy_enforced' };
    const result = await cli(['check']);
    expect(result.code).toBe(1);
    expect(errorLine(result.stderr)).toMatch(/\(admin_policy_enforced\)\. A Google Workspace admin policy blocks this app or one of its scopes for this account\. Ask the Workspace admin/);
  });

  it('on the code exchange: the same advice, nothing written', async () => {
    h.emulator.behaviour.tokenFault = { kind: 'oauth-error', error: 'admin_policy_enforced' };
    const run = runInProcess(['mint', '--no-open'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    await followConsent(await run.consentUrl());
    const result = await run.exit;
    expect(result.code).toBe(1);
    expect(errorLine(result.stderr)).toMatch(/Exchanging the code failed \(admin_policy_enforced\)\. A Google Workspace admin policy blocks this app/);
  });

  it("the emulator's body quotes Google's description", async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    h.emulator.behaviour.tokenFault = { kind: 'oauth-error', error: 'admin_policy_enforced' };
    expect((await refreshBody(token, h.emulator.defaultClient)).body).toEqual({
      error: 'admin_policy_enforced',
      error_description: 'Access to your account data is restricted by policies within your organization. Please contact administrator for more information.',
    });
  });
});

describe('invalid_grant with error_subtype invalid_rapt', () => {
  it('the emulator sends the subtype', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    h.emulator.behaviour.tokenFault = INVALID_RAPT_FAULT;
    expect(await refreshBody(token, h.emulator.defaultClient)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'reauth related error (invalid_rapt)', error_subtype: 'invalid_rapt' },
    });
  });

  it.each([['check'], ['access-token']])('%s says the account must sign in again, not the usual invalid_grant causes', async (command) => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    h.emulator.behaviour.tokenFault = INVALID_RAPT_FAULT;
    const result = await cli([command, '--token', token.refresh_token ?? '', '-c', 'credentials.json']);
    expect(result.code).toBe(1);
    const line = errorLine(result.stderr);
    expect(line).toMatch(/sign in again \(invalid_grant, invalid_rapt\).*Mint a new one with `gmail-token mint`/);
    expect(line).not.toMatch(/password changed|100 refresh tokens/);
  });
});
