import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailTarget } from '../../src/core/mail-hosts.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { imapLogin } from '../../src/mail/imap.js';
import { netConnector } from '../../src/mail/sockets.js';
import { mintedWith } from '../helpers/mail.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ behaviour: { account: 'you@gmail.com' } });
});
afterAll(() => emulator.close());

function target(hostPort: string): MailTarget {
  const [host = '', port = ''] = hostPort.split(':');
  return { protocol: 'imap', host, port: Number(port), security: 'plain' };
}

/** An IMAP server that answers each command with the next scripted lines, to play what the emulator does not. */
async function scripted(answers: string[][]): Promise<Server> {
  const server = createServer((socket) => {
    socket.write('* OK ready\r\n');
    socket.on('data', () => socket.write(answers.shift()?.join('\r\n').concat('\r\n') ?? ''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('imapLogin: CAPABILITY, AUTHENTICATE XOAUTH2, LOGOUT', () => {
  it('is accepted for a full-mail token', async () => {
    const token = await mintedWith(emulator, ['full', 'email']);
    expect(await imapLogin(target(emulator.imapHostPort), 'you@gmail.com', token.accessToken, netConnector)).toEqual({ accepted: true });
  });

  it('reports the NO [AUTHENTICATIONFAILED] and the decoded challenge for a gmail.send token', async () => {
    const token = await mintedWith(emulator, ['gmail.send', 'email']);
    expect(await imapLogin(target(emulator.imapHostPort), 'you@gmail.com', token.accessToken, netConnector)).toEqual({
      accepted: false,
      reply: 'NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)',
      challenge: { status: '400', scope: 'https://mail.google.com/' },
    });
  });

  it('keeps an [ALERT] the server sends with its NO', async () => {
    const server = await scripted([
      ['* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR', 'a1 OK done'],
      ['a2 NO [ALERT] Your account is not enabled for IMAP use. (Failure)'],
      ['* BYE', 'a3 OK'],
    ]);
    const port = (server.address() as AddressInfo).port;
    const outcome = await imapLogin(target(`127.0.0.1:${port}`), 'you@gmail.com', 'ya29.x', netConnector);
    expect(outcome).toEqual({ accepted: false, reply: 'NO [ALERT] Your account is not enabled for IMAP use. (Failure)', challenge: null });
    server.close();
  });
});
