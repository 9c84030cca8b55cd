import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { expandScopes } from '../../src/core/scopes.js';
import { mintInProcess } from './mint.js';

/** A token minted in-process from the emulator for its current account, with these short scope names. */
export async function mintedWith(emulator: Emulator, scopes: string[]) {
  return mintInProcess(emulator, { scopes: expandScopes(scopes) });
}

/**
 * What smtp.gmail.com and imap.gmail.com send before refusing a token: base64 of
 * {"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}.
 */
export const GMAIL_XOAUTH2_CHALLENGE = 'eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==';

/**
 * One emulator for the file, its account you@gmail.com (a Gmail address, as the mail servers
 * expect), with the messages and mail logins it took cleared before each test.
 */
export function useMailEmulator(): { emulator: Emulator } {
  const h = {} as { emulator: Emulator };
  beforeAll(async () => {
    h.emulator = await startEmulator({ behaviour: { account: 'you@gmail.com' } });
  });
  afterAll(() => h.emulator.close());
  beforeEach(() => {
    h.emulator.messages.length = 0;
    h.emulator.mailLogins.length = 0;
  });
  return h;
}

/** A raw line client for SMTP and IMAP servers: what a test sends and reads, byte for byte. */
export interface LineClient {
  send(line: string): void;
  /** The next line the server sends, without its CRLF. */
  next(): Promise<string>;
  /** Lines up to and including the first one matching `last`. */
  until(last: RegExp): Promise<string[]>;
  /** TLS over this connection, trusting only `ca`. */
  startTls(ca: string): Promise<void>;
  closed(): Promise<void>;
  close(): void;
}

export function lineClient(hostPort: string): Promise<LineClient> {
  const [, host = '', port = ''] = /^(.*):(\d+)$/.exec(hostPort) ?? [];
  let socket: Socket = connect(Number(port), host);
  let buffered = '';
  const waiting: ((line: string) => void)[] = [];
  let ended = false;
  const endWaiters: (() => void)[] = [];
  const drain = () => {
    let end: number;
    while (waiting.length > 0 && (end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      waiting.shift()?.(line);
    }
  };
  const attach = (stream: Socket) => {
    stream.setEncoding('utf8').on('data', (chunk: string) => ((buffered += chunk), drain()));
    stream.on('error', () => undefined);
    stream.on('close', () => ((ended = true), endWaiters.splice(0).forEach((wake) => wake())));
  };
  attach(socket);
  const client: LineClient = {
    send: (line) => void socket.write(`${line}\r\n`),
    next: () => new Promise((resolve) => (waiting.push(resolve), drain())),
    async until(last) {
      const lines: string[] = [];
      for (;;) {
        const line = await client.next();
        lines.push(line);
        if (last.test(line)) return lines;
      }
    },
    startTls: (ca) =>
      new Promise((resolve, reject) => {
        socket.removeAllListeners('data');
        socket.removeAllListeners('close');
        const secure = tlsConnect({ socket, ca, servername: 'localhost' }, () => resolve());
        secure.once('error', reject);
        socket = secure;
        attach(secure);
      }),
    closed: () => (ended ? Promise.resolve() : new Promise((resolve) => endWaiters.push(resolve))),
    close: () => socket.destroy(),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('error', reject);
  });
}
