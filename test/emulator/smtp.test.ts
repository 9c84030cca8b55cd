import { describe, expect, it } from 'vitest';
import { TEST_ONLY_CERTIFICATE } from '../../src/emulator/index.js';
import { xoauth2Response } from '../../src/core/xoauth2.js';
import { GMAIL_XOAUTH2_CHALLENGE, lineClient, mintedWith, useMailEmulator } from '../helpers/mail.js';

const h = useMailEmulator();

async function greeted() {
  const smtp = await lineClient(h.emulator.smtpHostPort);
  expect(await smtp.next()).toMatch(/^220 smtp\.gmail\.com ESMTP \S+ - gsmtp$/);
  smtp.send('EHLO localhost');
  return { smtp, ehlo: await smtp.until(/^250 /) };
}

describe("the emulator's SMTP, as smtp.gmail.com answers", () => {
  it('EHLO lists the AUTH mechanisms Gmail lists, and STARTTLS on plain TCP', async () => {
    const { smtp, ehlo } = await greeted();
    expect(ehlo).toContain('250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH');
    expect(ehlo).toContain('250-STARTTLS');
    smtp.close();
  });

  it('takes XOAUTH2 with a live full-mail token of the account, and a message sent appears among the messages', async () => {
    const token = await mintedWith(h.emulator, ['full', 'email']);
    const { smtp } = await greeted();
    smtp.send(`AUTH XOAUTH2 ${xoauth2Response('you@gmail.com', token.accessToken)}`);
    expect(await smtp.next()).toBe('235 2.7.0 Accepted');
    for (const [line, answer] of [['MAIL FROM:<you@gmail.com>', /^250 2\.1\.0/], ['RCPT TO:<friend@example.org>', /^250 2\.1\.5/], ['DATA', /^354 /]] as const) {
      smtp.send(line);
      expect(await smtp.next()).toMatch(answer);
    }
    smtp.send('To: friend@example.org\r\nSubject: over SMTP\r\n\r\n..a dotted line\r\n.');
    expect(await smtp.next()).toMatch(/^250 2\.0\.0 OK /);
    smtp.send('QUIT');
    expect(await smtp.next()).toMatch(/^221 /);
    await smtp.closed();
    expect(h.emulator.messages).toHaveLength(1);
    expect(h.emulator.messages[0]).toMatchObject({ account: 'you@gmail.com', message: 'To: friend@example.org\r\nSubject: over SMTP\r\n\r\n.a dotted line\r\n' });
    const listed = (await (await fetch(`${h.emulator.origin}/emulator/v1/messages`)).json()) as { message: string }[];
    expect(listed.map((m) => m.message)).toEqual([h.emulator.messages[0]?.message]);
  });

  it.each([
    ['a gmail.send token', ['gmail.send', 'email'], 'you@gmail.com'],
    ['a full-mail token named for another account', ['full', 'email'], 'someone-else@gmail.com'],
  ])('refuses %s: 334 with the JSON challenge, then 535-5.7.8 after the empty line', async (_name, scopes, user) => {
    const token = await mintedWith(h.emulator, scopes);
    const { smtp } = await greeted();
    smtp.send(`AUTH XOAUTH2 ${xoauth2Response(user, token.accessToken)}`);
    expect(await smtp.next()).toBe(`334 ${GMAIL_XOAUTH2_CHALLENGE}`);
    smtp.send('');
    expect(await smtp.until(/^535 /)).toEqual([
      '535-5.7.8 Username and Password not accepted. Learn more at',
      '535 5.7.8  https://support.google.com/mail/?p=BadCredentials emu - gsmtp',
    ]);
    smtp.send('MAIL FROM:<you@gmail.com>');
    expect(await smtp.next()).toMatch(/^530-5\.7\.0 /);
    smtp.close();
    expect(h.emulator.mailLogins).toEqual([{ protocol: 'smtp', user, token: token.accessToken, accepted: false }]);
  });

  it('refuses a revoked token, and a password', async () => {
    const token = await mintedWith(h.emulator, ['full', 'email']);
    h.emulator.revokeAll();
    const { smtp } = await greeted();
    smtp.send('AUTH XOAUTH2');
    expect(await smtp.next()).toBe('334 ');
    smtp.send(xoauth2Response('you@gmail.com', token.accessToken));
    expect(await smtp.next()).toBe(`334 ${GMAIL_XOAUTH2_CHALLENGE}`);
    smtp.send('');
    await smtp.until(/^535 /);
    smtp.send('AUTH PLAIN AHlvdUBnbWFpbC5jb20AcGFzc3dvcmQ=');
    expect(await smtp.until(/^535 /)).toHaveLength(2);
    smtp.close();
  });

  it('STARTTLS with the test-only certificate, after which EHLO no longer offers it', async () => {
    const { smtp } = await greeted();
    smtp.send('STARTTLS');
    expect(await smtp.next()).toBe('220 2.0.0 Ready to start TLS');
    await smtp.startTls(TEST_ONLY_CERTIFICATE);
    smtp.send('EHLO localhost');
    const ehlo = await smtp.until(/^250 /);
    expect(ehlo).not.toContain('250-STARTTLS');
    expect(ehlo).toContain('250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH');
    smtp.close();
  });

  it('refuses a message over its size limit with 552 and keeps nothing', async () => {
    const token = await mintedWith(h.emulator, ['full', 'email']);
    const { smtp } = await greeted();
    smtp.send(`AUTH XOAUTH2 ${xoauth2Response('you@gmail.com', token.accessToken)}`);
    await smtp.next();
    smtp.send('MAIL FROM:<you@gmail.com>');
    smtp.send('RCPT TO:<friend@example.org>');
    smtp.send('DATA');
    await smtp.until(/^354 /);
    const line = 'x'.repeat(990);
    for (let i = 0; i < 1100; i++) smtp.send(line);
    smtp.send('.');
    expect(await smtp.next()).toBe("552 5.2.3 Your message exceeded Google's message size limits.");
    smtp.close();
    expect(h.emulator.messages).toEqual([]);
  });

  it('drops a connection that sends a line longer than 8 KiB', async () => {
    const { smtp } = await greeted();
    smtp.send('NOOP ' + 'x'.repeat(9000));
    await smtp.closed();
  });
});
