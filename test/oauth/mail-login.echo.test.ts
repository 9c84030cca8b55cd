import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { mailTarget } from '../../src/core/mail-hosts.js';
import { xoauth2Response } from '../../src/core/xoauth2.js';
import { netConnector } from '../../src/mail/sockets.js';
import { tryMailLogin } from '../../src/oauth/mail-login.js';

const TOKEN = 'ya29.a0AfB_byC3xYzSecretToken-0123456789_abcdefGHIJ';

/** A server that answers every line after the first with `answer(line)`: here, echoing what it got. */
async function echoing(greeting: string, answer: (line: string) => string): Promise<string> {
  const server = createServer((socket) => {
    socket.write(`${greeting}\r\n`);
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\r\n').filter(Boolean)) socket.write(`${answer(line)}\r\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => void server.close());
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a server that echoes the login back never gets the token onto the screen', () => {
  it('SMTP: a 500 quoting the AUTH line', async () => {
    const hostPort = await echoing('220 echo', (line) => (/^EHLO/.test(line) ? '250-echo\r\n250 AUTH XOAUTH2' : `500 5.5.1 Unknown command: ${line}`));
    const result = await tryMailLogin({ target: mailTarget('smtp', hostPort), account: 'you@gmail.com', accountConfirmed: true, scopes: ['https://mail.google.com/'], accessToken: TOKEN, connector: netConnector });
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(/^Gmail's SMTP refused the token for you@gmail\.com \(500 5\.5\.1 Unknown command: AUTH XOAUTH2 \[…\]\)/);
    expect(result.problem).not.toContain(xoauth2Response('you@gmail.com', TOKEN));
  });

  it('IMAP: a NO quoting the token itself', async () => {
    const hostPort = await echoing('* OK echo', (line) => {
      const [tag] = line.split(' ');
      if (/CAPABILITY/.test(line)) return `* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR\r\n${tag} OK`;
      return `${tag} NO bad token ${TOKEN} for you`;
    });
    const result = await tryMailLogin({ target: mailTarget('imap', hostPort), account: 'you@gmail.com', accountConfirmed: true, scopes: ['https://mail.google.com/'], accessToken: TOKEN, connector: netConnector });
    expect(result.problem).toContain('NO bad token […] for you');
    expect(result.problem).not.toContain('SecretToken');
  });
});
