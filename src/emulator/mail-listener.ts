import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { testOnlyTlsContext } from './mail-tls.js';

/** What a session says back to one line, and what happens to the connection after it. */
export interface Answer {
  lines: string[];
  then?: 'starttls' | 'close';
}

/** One SMTP or IMAP conversation: told whether TLS is on, because the capabilities it offers depend on it. */
export interface LineSession {
  greeting: string[];
  answer(line: string, secure: boolean): Answer;
}

/**
 * Bounds on what a connection may cost (issue #19.8): RFC 5321 §4.5.3.1.6 caps a text line at 1000
 * octets and IMAP commands stay short, so 8 KiB is generous; an idle connection is dropped after
 * five minutes, and at most 64 are open at once.
 */
const MAX_LINE = 8 * 1024;
const IDLE_MS = 5 * 60_000;
const MAX_CONNECTIONS = 64;

function converse(socket: Socket, session: LineSession, sockets: Set<Socket>): void {
  let stream: Socket = socket;
  let secure = false;
  let buffered = '';
  const write = (lines: string[]) => stream.write(lines.map((line) => `${line}\r\n`).join(''));
  // A client that sends but never reads would otherwise make every answer pile up in memory:
  // once the socket's buffer is full, stop reading (and answering) until it drains.
  const answerBuffered = (): void => {
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      if (end > MAX_LINE) return void stream.destroy();
      const line = buffered.slice(0, end).replace(/\r$/, '');
      buffered = buffered.slice(end + 1);
      const answer = session.answer(line, secure);
      const flowing = write(answer.lines);
      if (answer.then === 'close') return void stream.end();
      // RFC 3207 §4.2: anything pipelined after STARTTLS in plain text is dropped.
      if (answer.then === 'starttls') return startTls();
      if (!flowing) return waitForDrain();
    }
    if (buffered.length > MAX_LINE) stream.destroy();
  };
  const waitForDrain = () => {
    stream.pause();
    stream.once('drain', () => {
      stream.resume();
      answerBuffered();
    });
  };
  const onData = (chunk: string) => {
    buffered += chunk;
    answerBuffered();
  };
  const startTls = () => {
    stream.off('data', onData);
    buffered = '';
    stream = new TLSSocket(stream, { isServer: true, secureContext: testOnlyTlsContext() });
    secure = true;
    listen();
  };
  const listen = () => {
    sockets.add(stream);
    stream.setEncoding('utf8');
    stream.on('data', onData);
    stream.on('error', () => stream.destroy());
    stream.on('close', () => sockets.delete(stream));
  };
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  listen();
  write(session.greeting);
}

export interface LineServer {
  server: Server;
  destroySockets(): void;
}

export function createLineServer(newSession: () => LineSession): LineServer {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => converse(socket, newSession(), sockets));
  server.maxConnections = MAX_CONNECTIONS;
  return { server, destroySockets: () => sockets.forEach((socket) => socket.destroy()) };
}
