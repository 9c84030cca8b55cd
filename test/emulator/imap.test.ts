import { describe, expect, it } from 'vitest';
import { TEST_ONLY_CERTIFICATE } from '../../src/emulator/index.js';
import { xoauth2Response } from '../../src/core/xoauth2.js';
import { GMAIL_XOAUTH2_CHALLENGE, lineClient, mintedWith, useMailEmulator } from '../helpers/mail.js';

const h = useMailEmulator();

async function greeted() {
  const imap = await lineClient(h.emulator.imapHostPort);
  expect(await imap.next()).toMatch(/^\* OK Gimap ready for requests from 127\.0\.0\.1 /);
  return imap;
}

async function sendThroughApi(accessToken: string, text: string): Promise<void> {
  const raw = Buffer.from(text).toString('base64url');
  const sent = await fetch(`${h.emulator.origin}/gmail/v1/users/me/messages/send`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ raw }) });
  expect(sent.status).toBe(200);
}

describe("the emulator's IMAP, as imap.gmail.com answers", () => {
  it("CAPABILITY lists Gmail's SASL mechanisms with SASL-IR", async () => {
    const imap = await greeted();
    imap.send('a1 CAPABILITY');
    const [capability, done] = await imap.until(/^a1 /);
    expect(capability).toMatch(/^\* CAPABILITY IMAP4rev1 .*SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER AUTH=XOAUTH STARTTLS$/);
    expect(done).toBe('a1 OK Success');
    imap.close();
  });

  it('a gmail.send token: "+" with the JSON challenge, then NO [AUTHENTICATIONFAILED] after the empty line', async () => {
    const token = await mintedWith(h.emulator, ['gmail.send', 'email']);
    const imap = await greeted();
    imap.send(`a1 AUTHENTICATE XOAUTH2 ${xoauth2Response('you@gmail.com', token.accessToken)}`);
    expect(await imap.next()).toBe(`+ ${GMAIL_XOAUTH2_CHALLENGE}`);
    imap.send('');
    expect(await imap.next()).toBe('a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)');
    imap.send('a2 SELECT INBOX');
    expect(await imap.next()).toMatch(/^a2 BAD /);
    imap.close();
  });

  it('a malformed XOAUTH2 string gets "NO Invalid SASL argument."', async () => {
    const imap = await greeted();
    imap.send(`a1 AUTHENTICATE XOAUTH2 ${Buffer.from('user=you@gmail.com').toString('base64')}`);
    expect(await imap.next()).toMatch(/^a1 NO Invalid SASL argument\./);
    imap.close();
  });

  it('a full-mail token logs in (also without SASL-IR), and INBOX holds what the account sent by API and SMTP, fetchable by UID', async () => {
    const token = await mintedWith(h.emulator, ['full', 'email']);
    await sendThroughApi(token.accessToken, 'To: a@example.org\r\nSubject: one\r\nFrom: you@gmail.com\r\n\r\nFirst.\r\n');
    await sendThroughApi(token.accessToken, 'To: b@example.org\nSubject: two\n\nSecond.\n');
    const imap = await greeted();
    imap.send('a1 AUTHENTICATE XOAUTH2');
    expect(await imap.next()).toBe('+ ');
    imap.send(xoauth2Response('you@gmail.com', token.accessToken));
    expect(await imap.next()).toMatch(/^a1 OK \[CAPABILITY [^\]]+\] you@gmail\.com authenticated \(Success\)$/);
    imap.send('a2 SELECT INBOX');
    const selected = await imap.until(/^a2 /);
    expect(selected).toContain('* 2 EXISTS');
    expect(selected.at(-1)).toMatch(/^a2 OK \[READ-WRITE\]/);
    imap.send('a3 UID FETCH 1:* (FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT TO)])');
    const fetched = (await imap.until(/^a3 /)).join('\n');
    expect(fetched).toMatch(/^\* 1 FETCH \(UID \d+ FLAGS \(\) RFC822\.SIZE \d+ BODY\[HEADER\.FIELDS \(SUBJECT TO\)\] \{35\}$/m);
    expect(fetched).toContain('To: a@example.org\nSubject: one\n\n');
    expect(fetched).toContain('To: b@example.org\nSubject: two\n\n');
    expect(fetched).not.toContain('From:');
    imap.send('a4 FETCH 2 BODY[TEXT]');
    expect((await imap.until(/^a4 /)).slice(0, 2)).toEqual(['* 2 FETCH (BODY[TEXT] {9}', 'Second.']);
    imap.send('a5 LOGOUT');
    expect(await imap.until(/^a5 /)).toEqual(['* BYE LOGOUT Requested', 'a5 OK 73 good day (Success)']);
    await imap.closed();
    expect(h.emulator.mailLogins).toEqual([{ protocol: 'imap', user: 'you@gmail.com', token: token.accessToken, accepted: true }]);
  });

  it('STARTTLS with the test-only certificate', async () => {
    const imap = await greeted();
    imap.send('a1 STARTTLS');
    expect(await imap.next()).toBe('a1 OK Begin TLS negotiation now');
    await imap.startTls(TEST_ONLY_CERTIFICATE);
    imap.send('a2 CAPABILITY');
    const [capability] = await imap.until(/^a2 /);
    expect(capability).not.toContain('STARTTLS');
    imap.close();
  });
});
