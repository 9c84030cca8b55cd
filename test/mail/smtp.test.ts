import { createServer, type AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailTarget } from '../../src/core/mail-hosts.js';
import { startEmulator, TEST_ONLY_CERTIFICATE, type Emulator } from '../../src/emulator/index.js';
import { MailWireError, type MailConnector } from '../../src/mail/conversation.js';
import { netConnector } from '../../src/mail/sockets.js';
import { smtpLogin } from '../../src/mail/smtp.js';
import { mintedWith } from '../helpers/mail.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ behaviour: { account: 'you@gmail.com' } });
});
afterAll(() => emulator.close());

const plain = (): MailTarget => {
  const [host = '', port = ''] = emulator.smtpHostPort.split(':');
  return { protocol: 'smtp', host, port: Number(port), security: 'plain' };
};

/** A far-away server name, reached at the emulator's port, with TLS trusting its test-only certificate. */
function viaEmulator(): MailConnector {
  return {
    connect: (target) => netConnector.connect({ ...plain(), security: target.security === 'tls' ? 'tls' : 'plain' }),
    startTls: (stream) =>
      new Promise((resolve, reject) => {
        const secure = tlsConnect({ socket: stream as never, ca: TEST_ONLY_CERTIFICATE, servername: 'localhost' }, () => resolve(secure));
        secure.once('error', reject);
      }),
  };
}

describe('smtpLogin: EHLO, TLS, AUTH XOAUTH2, QUIT', () => {
  it('is accepted for a full-mail token over plain TCP to loopback, and sends nothing', async () => {
    const token = await mintedWith(emulator, ['full', 'email']);
    expect(await smtpLogin(plain(), 'you@gmail.com', token.accessToken, netConnector)).toEqual({ accepted: true });
    expect(emulator.mailLogins.at(-1)).toEqual({ protocol: 'smtp', user: 'you@gmail.com', token: token.accessToken, accepted: true });
    expect(emulator.messages).toEqual([]);
  });

  it('upgrades with STARTTLS before sending the token when the target needs it', async () => {
    const token = await mintedWith(emulator, ['full', 'email']);
    const target: MailTarget = { protocol: 'smtp', host: 'smtp.example', port: 587, security: 'starttls' };
    expect(await smtpLogin(target, 'you@gmail.com', token.accessToken, viaEmulator())).toEqual({ accepted: true });
  });

  it("reports a refusal with Gmail's 535 and the decoded challenge, after answering the 334 with an empty line", async () => {
    const token = await mintedWith(emulator, ['gmail.send', 'email']);
    const outcome = await smtpLogin(plain(), 'you@gmail.com', token.accessToken, netConnector);
    expect(outcome).toEqual({
      accepted: false,
      reply: '535 5.7.8 Username and Password not accepted. Learn more at 5.7.8  https://support.google.com/mail/?p=BadCredentials emu - gsmtp',
      challenge: { status: '400', scope: 'https://mail.google.com/' },
    });
  });

  it('sends no token to a server that offers no STARTTLS where TLS is needed', async () => {
    const server = createServer((socket) => {
      socket.write('220 mail.example ESMTP\r\n');
      socket.on('data', (chunk: Buffer) => {
        if (/^EHLO/.test(chunk.toString())) socket.write('250-mail.example\r\n250 AUTH XOAUTH2\r\n');
        else socket.destroy(new Error(`unexpected: ${chunk.toString()}`));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const connector: MailConnector = { ...netConnector, connect: () => netConnector.connect({ protocol: 'smtp', host: '127.0.0.1', port, security: 'plain' }) };
    const target: MailTarget = { protocol: 'smtp', host: 'mail.example', port: 587, security: 'starttls' };
    await expect(smtpLogin(target, 'you@gmail.com', 'ya29.secret', connector)).rejects.toThrow(new MailWireError('the SMTP server mail.example:587 does not offer STARTTLS, so the token is not sent to it.'));
    server.close();
  });

  it('names an unreachable server without a stack', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await smtpLogin({ protocol: 'smtp', host: '127.0.0.1', port, security: 'plain' }, 'you@gmail.com', 'ya29.x', netConnector).catch((e: unknown) => e);
    expect(error).toEqual(new MailWireError(`Cannot reach 127.0.0.1:${port} (ECONNREFUSED).`));
  });
});
