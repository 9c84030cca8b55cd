import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { followConsent } from '../helpers/browser.js';
import { runInProcess, runInProcessToEnd } from '../helpers/run-cli.js';
import { mintTokenFile } from '../helpers/mint.js';
import { useEmulatorHarness } from '../helpers/harness.js';

const SEND = 'https://www.googleapis.com/auth/gmail.send';

const h = useEmulatorHarness();


function cli(args: string[], env: Record<string, string | undefined> = {}) {
  return runInProcessToEnd(args, { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort, GMAIL_API_REFRESH_TOKEN: undefined, ...env } });
}

function secretsOf(token: Record<string, string>): string[] {
  return [token.refresh_token, token.token, token.client_secret].filter((value): value is string => Boolean(value));
}

describe('check', () => {
  it('reports a working token on stderr and exits 0', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    const result = await cli(['check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/works and can send mail/);
    expect(result.stderr).toContain(h.emulator.defaultClient.clientId);
    expect(result.stderr).toContain('tester@example.com');
    expect(result.stderr).toContain(SEND);
    for (const secret of secretsOf(token)) expect(result.stderr).not.toContain(secret);
  });

  it('--json prints the documented object on stdout', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send', '-s', 'email']);
    const result = await cli(['check', '--json', '--token-file', 'token.json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report).sort()).toEqual(
      ['access_token_expiry', 'account', 'can_send', 'client_id', 'full_mail_scope', 'imap', 'ok', 'problem', 'smtp', 'refresh_token_expires_soon', 'refresh_token_expiry', 'scopes', 'source', 'stored_access_token_expiry', 'stored_access_token_fresh', 'test_message_id'].sort(),
    );
    expect(report).toMatchObject({ ok: true, can_send: true, account: 'tester@example.com', client_id: h.emulator.defaultClient.clientId, problem: null });
    expect(Date.parse(report.access_token_expiry)).toBeGreaterThan(Date.now());
  });

  it('works from the env lines of `mint -f env` (env file and environment)', async () => {
    const mint = runInProcess(['mint', '--no-open', '-f', 'env'], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    await followConsent(await mint.consentUrl());
    const minted = await mint.exit;
    expect(minted.code).toBe(0);
    writeFileSync(join(h.workspace.dir, 'app.env'), minted.stdout);
    expect((await cli(['check', '--token-file', 'app.env'])).code).toBe(0);
    const lines = dotenv.parse(minted.stdout);
    expect(Object.keys(lines).sort()).toEqual(['GMAIL_API_CLIENT_ID', 'GMAIL_API_CLIENT_SECRET', 'GMAIL_API_REFRESH_TOKEN']);
    const fromEnvironment = await cli(['check'], lines);
    expect(fromEnvironment.code).toBe(0);
    expect(fromEnvironment.stderr).toMatch(/\$GMAIL_API_REFRESH_TOKEN works/);
  });

  it('explains invalid_grant and exits 1 once the token is revoked', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    expect((await cli(['revoke'])).code).toBe(0);
    const result = await cli(['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/invalid_grant.*revoked.*password.*Testing.*7 days.*100/);
    const json = await cli(['check', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, client_id: null, access_token_expiry: null, problem: expect.stringMatching(/invalid_grant/) });
    for (const secret of secretsOf(token)) expect(result.stderr + json.stdout).not.toContain(secret);
  });

  it('says the client secret is wrong on invalid_client', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    writeFileSync(join(h.workspace.dir, 'token.json'), JSON.stringify({ ...token, client_secret: 'GOCSPX-wrong' }));
    const result = await cli(['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/invalid_client.*client secret is wrong or the OAuth client was deleted/);
  });

  it('says a proxy is in the way when the refresh answer is a web page', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    h.emulator.behaviour.tokenFault = { kind: 'non-json' };
    const result = await cli(['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Refreshing the token failed: the answer was a web page.*proxy/);
  });

  it('fails a token that cannot send and names the scope to mint', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'readonly']);
    const result = await cli(['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot send mail.*--scope gmail\.send/);
  });

  it('warns when the recorded refresh-token expiry is under 48 hours away', async () => {
    h.emulator.behaviour.refreshTokenExpiresIn = 3600;
    await mintTokenFile(h.emulator, h.workspace.dir);
    const result = await cli(['check']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: The refresh token expires at .* within 48 hours/);
  });

  it('takes the client from --credentials when the token is bare', async () => {
    const token = await mintTokenFile(h.emulator, h.workspace.dir);
    const bare = await cli(['check', '--token', token.refresh_token ?? '']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/no client id and secret.*--credentials/);
    expect(bare.stderr).not.toContain(token.refresh_token);
    expect((await cli(['check', '--token', token.refresh_token ?? '', '-c', 'credentials.json'])).code).toBe(0);
  });
});

describe('check --send-test', () => {
  it('sends a well-formed RFC 2822 message through the Gmail API and prints its id', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    const before = h.emulator.messages.length;
    const result = await cli(['check', '--send-test', 'friend@example.org', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const sent = h.emulator.messages.slice(before);
    expect(sent).toHaveLength(1);
    expect(report.test_message_id).toBe(sent[0]?.id);
    const message = sent[0]?.message ?? '';
    const [head = '', body = ''] = message.split('\r\n\r\n');
    expect(head).toMatch(/^To: friend@example\.org$/m);
    expect(head).toMatch(/^From: tester@example\.com$/m);
    expect(head).toMatch(/^Subject: .+$/m);
    expect(head).toMatch(/^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000$/m);
    expect(head).toMatch(/^Message-ID: <[^@\s]+@[^>\s]+>$/m);
    expect(head).toMatch(/^MIME-Version: 1\.0$/m);
    expect(head).toMatch(/^Content-Type: text\/plain; charset=UTF-8$/m);
    expect(body).toContain('✓');
    const human = await cli(['check', '--send-test', 'friend@example.org']);
    expect(human.stderr).toMatch(/test message sent, Gmail id \w+/);
  });

  it.each([
    [401, 'Request had invalid authentication credentials.', 'UNAUTHENTICATED', /Gmail refused the access token \(401/],
    [403, 'Request had insufficient authentication scopes.', 'PERMISSION_DENIED', /may not send mail \(403.*--scope gmail\.send/],
    [403, 'Gmail API has not been used in project 1 before or it is disabled.', 'PERMISSION_DENIED', /refused to send \(403.*Gmail API is enabled/],
    [400, 'Invalid To header', 'INVALID_ARGUMENT', /rejected the test message \(400: Invalid To header/],
  ])('turns Gmail API error %i (%s) into a clear message, exit 1, keeping the report', async (code, message, status, shown) => {
    await mintTokenFile(h.emulator, h.workspace.dir, ['-s', 'send,email']);
    h.emulator.behaviour.sendFault = { code, message, status };
    const result = await cli(['check', '--send-test', 'friend@example.org', '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(shown);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: false, can_send: true, account: 'tester@example.com', test_message_id: null, problem: expect.stringMatching(shown) });
  });

  it('rejects an address that could inject headers before any request', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    const received = h.emulator.received.length;
    const result = await cli(['check', '--send-test', 'a@b.c\r\nBcc: victim@example.com']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not an email address/);
    expect(h.emulator.received.length).toBe(received);
  });
});

describe('access-token', () => {
  it('prints only a live access token and a newline', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    const result = await cli(['access-token']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\S+\n$/);
    expect(result.stderr).toBe('');
    const info = await fetch(`${h.emulator.origin}/tokeninfo?access_token=${encodeURIComponent(result.stdout.trim())}`);
    expect(info.status).toBe(200);
  });

  it('exits 1 with the reason and nothing on stdout when the token is dead', async () => {
    await mintTokenFile(h.emulator, h.workspace.dir);
    await cli(['revoke']);
    // The stored access token cannot know it was revoked; --no-cache asks Google.
    const result = await cli(['access-token', '--no-cache']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/invalid_grant/);
  });
});
