import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { mailTarget } from '../../src/core/mail-hosts.js';
import { tokenJson } from '../../src/core/output.js';
import { parseTokenFile } from '../../src/core/stored-token.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { netConnector } from '../../src/mail/sockets.js';
import { checkToken, type CheckRequest } from '../../src/oauth/check.js';
import { mintedWith } from '../helpers/mail.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ behaviour: { account: 'you@gmail.com' } });
});
afterAll(() => emulator.close());

async function request(scopes: string[], edit: (file: Record<string, unknown>) => void = () => undefined): Promise<CheckRequest> {
  const file = JSON.parse(tokenJson(await mintedWith(emulator, scopes))) as Record<string, unknown>;
  edit(file);
  const stored = parseTokenFile(JSON.stringify(file), 'token.json');
  const targets = [mailTarget('smtp', emulator.smtpHostPort), mailTarget('imap', emulator.imapHostPort)];
  return {
    stored,
    secrets: { clientId: emulator.defaultClient.clientId, clientSecret: emulator.defaultClient.clientSecret },
    endpoints: resolveEndpoints({ emulatorHost: emulator.hostPort }),
    mailLogins: { targets, connector: netConnector },
    now: () => new Date(),
  };
}

describe('check --smtp --imap, against the emulator', () => {
  it('a full-mail token logs in to both: ok, with both results in the report', async () => {
    const report = await checkToken(await request(['full', 'email']));
    expect(report).toMatchObject({
      ok: true,
      full_mail_scope: true,
      problem: null,
      smtp: { ok: true, server: emulator.smtpHostPort, user: 'you@gmail.com', reached: true, problem: null },
      imap: { ok: true, server: emulator.imapHostPort, user: 'you@gmail.com', reached: true, problem: null },
    });
  });

  it('a gmail.send token is refused by both, and the problem names the scope and the fix', async () => {
    const report = await checkToken(await request(['gmail.send', 'email']));
    expect(report.ok).toBe(false);
    expect(report.can_send).toBe(true);
    expect(report.full_mail_scope).toBe(false);
    expect(report.smtp?.problem).toBe(
      "Gmail's SMTP refused the token: it lacks https://mail.google.com/, the only scope Gmail's SMTP, IMAP and POP accept. Mint again with `gmail-token mint -s full,email`.",
    );
    expect(report.imap?.problem).toMatch(/^Gmail's IMAP refused the token: it lacks https:\/\/mail\.google\.com\//);
    expect(report.smtp).toMatchObject({ ok: false, reached: true });
    expect(report.imap).toMatchObject({ ok: false, reached: true });
    expect(report.problem).toBe(report.smtp?.problem);
    expect(JSON.stringify(report)).not.toMatch(/ya29|eyJzdGF0dXMi/);
  });

  it('a full-mail token without the email scope logs in as the account stored with it; a wrong one is named as the likely cause', async () => {
    const right = await checkToken(await request(['full'], (file) => (file.account = 'you@gmail.com')));
    expect(right.smtp).toMatchObject({ ok: true, user: 'you@gmail.com' });
    const wrong = await checkToken(await request(['full'], (file) => (file.account = 'someone-else@gmail.com')));
    expect(wrong.imap?.problem).toBe(
      "Gmail's IMAP refused the login as someone-else@gmail.com, which may not be the token's account. Mint with the email scope (`-s full,email`) so check logs in as the account Google names.",
    );
  });

  it('with no account known at all, says what to mint instead of guessing a login name', async () => {
    const report = await checkToken(await request(['full'], (file) => (file.account = '')));
    expect(report.smtp).toMatchObject({ ok: false, user: null, reached: false, problem: expect.stringMatching(/^The SMTP login needs the account's address.*-s full,email/) });
    expect(report.imap).toMatchObject({ ok: false, user: null, reached: false, problem: expect.stringMatching(/^The IMAP login needs the account's address/) });
  });

  it('without --smtp/--imap there are no login results, and full_mail_scope tells the scope', async () => {
    const report = await checkToken({ ...(await request(['gmail.send'])), mailLogins: undefined });
    expect(report).toMatchObject({ ok: true, smtp: null, imap: null, full_mail_scope: false });
  });
});
