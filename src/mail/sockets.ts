import { connect as connectTcp, isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { targetName, type MailTarget } from '../core/mail-hosts.js';
import { MailUnreachableError, MailWireError, type MailConnector } from './conversation.js';

const CONNECT_TIMEOUT_MS = 20_000;

/** SNI carries host names only (RFC 6066 §3); the certificate is still checked against an address. */
function serverName(host: string): string | undefined {
  return isIP(host) ? undefined : host;
}

function settled(socket: Duplex, event: 'connect' | 'secureConnect', target: MailTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new MailUnreachableError(`No connection to ${targetName(target)} within ${CONNECT_TIMEOUT_MS / 1000} s.`)), CONNECT_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code ?? error.message.split('\n')[0];
      // Node sets authorizationError when it rejects the certificate: the server was reached.
      const rejected = (socket as Partial<TLSSocket>).authorizationError;
      if (rejected) fail(new MailWireError(`The certificate of ${targetName(target)} is not trusted (${String(rejected)}), so no token was sent to it.`));
      else fail(new MailUnreachableError(`Cannot reach ${targetName(target)} (${reason}).`));
    });
    socket.once(event, () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/** Node's sockets; TLS checks the certificate against the host name, as Node does by default. */
export const netConnector: MailConnector = {
  connect(target) {
    if (target.security === 'tls') return settled(connectTls({ host: target.host, port: target.port, servername: serverName(target.host) }), 'secureConnect', target);
    return settled(connectTcp({ host: target.host, port: target.port }), 'connect', target);
  },
  startTls(stream, target) {
    const secure: TLSSocket = connectTls({ socket: stream as never, servername: serverName(target.host) });
    return settled(secure, 'secureConnect', target);
  },
};
