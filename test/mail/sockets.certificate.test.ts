import { createServer, type AddressInfo, type Server } from 'node:net';
import { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { testOnlyTlsContext } from '../../src/emulator/mail-tls.js';
import { MailWireError } from '../../src/mail/conversation.js';
import { netConnector } from '../../src/mail/sockets.js';
import { smtpLogin } from '../../src/mail/smtp.js';

let server: Server | undefined;
afterEach(() => server?.close());

describe('a TLS login to a server whose certificate Node does not trust', () => {
  it('says the certificate is not trusted, naming why, rather than that the server cannot be reached', async () => {
    let reached = false;
    // The emulator's own certificate, presented as its STARTTLS does: valid for 127.0.0.1, trusted by no one.
    server = createServer((plain) => {
      reached = true;
      new TLSSocket(plain, { isServer: true, secureContext: testOnlyTlsContext() }).on('error', () => plain.destroy());
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const login = smtpLogin({ protocol: 'smtp', host: '127.0.0.1', port, security: 'tls' }, 'you@gmail.com', 'ya29.secret', netConnector);
    await expect(login).rejects.toThrow(new MailWireError(`The certificate of 127.0.0.1:${port} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT), so no token was sent to it.`));
    expect(reached).toBe(true);
  });
});
