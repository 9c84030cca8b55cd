import type { Duplex } from 'node:stream';
import type { MailTarget } from '../core/mail-hosts.js';

/** The sockets a login uses, passed in so tests can drive the clients in-process. */
export interface MailConnector {
  /** A connected stream: TLS already for `security: 'tls'`, plain TCP otherwise. */
  connect(target: MailTarget): Promise<Duplex>;
  /** TLS over the connected stream, after the server said yes to STARTTLS. */
  startTls(stream: Duplex, target: MailTarget): Promise<Duplex>;
}

/** A failure that is not the server refusing the token: unreachable, slow, or not speaking the protocol. */
export class MailWireError extends Error {}

/** No connection at all: the server never heard the login, so it cannot have refused it. */
export class MailUnreachableError extends MailWireError {}

/** No reply line of SMTP or IMAP comes near this; a longer one is not the server we want. */
const MAX_LINE = 16 * 1024;
/** The greeting, an EHLO or CAPABILITY list, a login's answer: each far below this. */
const MAX_REPLY = 64 * 1024;
const TIMEOUT_MS = 20_000;

/**
 * One line at a time in each direction over a stream that STARTTLS may swap. Each step (the greeting,
 * then each command sent) has one deadline and one byte budget for everything the server sends,
 * however many lines that is, so an endless multi-line reply ends too. What a failed read says never
 * quotes the line that was sent (it may hold a token).
 */
export class Conversation {
  private buffered = '';
  private waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | undefined;
  private ended: Error | undefined;
  private stream: Duplex;
  private deadline = 0;
  private replyBytes = 0;

  constructor(stream: Duplex, private readonly what: string, private readonly timeoutMs = TIMEOUT_MS) {
    this.stream = stream;
    this.nextStep();
    this.listen(stream);
  }

  private nextStep(): void {
    this.deadline = Date.now() + this.timeoutMs;
    this.replyBytes = 0;
  }

  private listen(stream: Duplex): void {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.take(chunk));
    stream.on('error', (error: NodeJS.ErrnoException) => this.end(new MailWireError(`The connection to ${this.what} failed (${error.code ?? error.name}).`)));
    stream.on('close', () => this.end(new MailWireError(`${this.what} closed the connection.`)));
  }

  private take(chunk: string): void {
    this.buffered += chunk;
    this.replyBytes += chunk.length;
    if (this.replyBytes > MAX_REPLY) this.end(new MailWireError(`${this.what} sent more than ${MAX_REPLY} bytes in one reply.`));
    if (this.buffered.length > MAX_LINE && !this.buffered.includes('\n')) this.end(new MailWireError(`${this.what} sent a line longer than ${MAX_LINE} bytes.`));
    this.deliver();
  }

  private deliver(): void {
    const end = this.buffered.indexOf('\n');
    if (!this.waiting || end < 0) return;
    const line = this.buffered.slice(0, end).replace(/\r$/, '');
    this.buffered = this.buffered.slice(end + 1);
    const { resolve } = this.waiting;
    this.waiting = undefined;
    resolve(line);
  }

  private end(error: Error): void {
    this.ended ??= error;
    this.waiting?.reject(this.ended);
    this.waiting = undefined;
    this.stream.destroy();
  }

  readLine(): Promise<string> {
    if (this.ended && !this.buffered.includes('\n')) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      const late = () => this.end(new MailWireError(`${this.what} did not answer within ${this.timeoutMs / 1000} s.`));
      const timer = setTimeout(late, Math.max(0, this.deadline - Date.now()));
      this.waiting = {
        resolve: (line) => (clearTimeout(timer), resolve(line)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
      this.deliver();
    });
  }

  send(line: string): void {
    this.nextStep();
    if (!this.ended) this.stream.write(`${line}\r\n`);
  }

  /** STARTTLS: what was read ahead in plain text is dropped, as RFC 3207 §4.2 requires. */
  async upgrade(startTls: (plain: Duplex) => Promise<Duplex>): Promise<void> {
    this.stream.removeAllListeners('data');
    this.stream.removeAllListeners('close');
    this.buffered = '';
    this.stream = await startTls(this.stream);
    this.listen(this.stream);
  }

  close(): void {
    this.stream.removeAllListeners('close');
    this.stream.on('error', () => undefined);
    this.stream.end();
    this.stream.destroy();
  }
}
