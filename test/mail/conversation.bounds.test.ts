import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Conversation, MailWireError } from '../../src/mail/conversation.js';
import { netConnector } from '../../src/mail/sockets.js';
import { smtpLogin } from '../../src/mail/smtp.js';

let server: Server | undefined;
afterEach(() => server?.close());

/** A fake SMTP server that greets, then answers EHLO with `reply` (a never-ending one here). */
async function fakeSmtp(reply: (socket: Socket) => void): Promise<number> {
  server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.write('220 fake ESMTP\r\n');
    socket.once('data', () => reply(socket));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Writes continuation lines as fast as the client takes them, until it hangs up. */
function flood(socket: Socket): void {
  const lines = '250-flood\r\n'.repeat(1000);
  const more = () => {
    while (!socket.destroyed && socket.write(lines));
  };
  socket.on('drain', more);
  more();
}

describe('check --smtp/--imap against a server whose reply never ends', () => {
  it('gives up once one reply passes its byte budget, however many lines it has', async () => {
    const port = await fakeSmtp(flood);
    const login = smtpLogin({ protocol: 'smtp', host: '127.0.0.1', port, security: 'plain' }, 'you@gmail.com', 'ya29.x', netConnector);
    await expect(login).rejects.toThrow(new MailWireError(`the SMTP server 127.0.0.1:${port} sent more than 65536 bytes in one reply.`));
  });

  it('gives up when a step outlasts its deadline, even while lines keep coming', async () => {
    const port = await fakeSmtp((socket) => {
      const drip = setInterval(() => socket.write('250-still here\r\n'), 20);
      socket.on('close', () => clearInterval(drip));
    });
    const talk = new Conversation(connect(port, '127.0.0.1'), 'the fake server', 300);
    expect(await talk.readLine()).toBe('220 fake ESMTP');
    talk.send('EHLO localhost');
    const started = Date.now();
    let lines = 0;
    const error = await (async () => {
      for (; lines < 100; lines++) await talk.readLine();
    })().catch((e: unknown) => e);
    expect(error).toEqual(new MailWireError('the fake server did not answer within 0.3 s.'));
    expect(Date.now() - started).toBeLessThan(2000);
    talk.close();
  });
});
