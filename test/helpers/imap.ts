import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';

export interface ImapLogin {
  user: string;
  token: string;
  accepted: boolean;
}

const CAPABILITY = 'IMAP4rev1 AUTH=XOAUTH2 SASL-IR';
// Gmail's answer to a refused XOAUTH2 token: a "+" challenge carrying this JSON, then NO once the
// client sends an empty line (https://developers.google.com/gmail/imap/xoauth2-protocol).
const REFUSED = Buffer.from('{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}').toString('base64');
const EMPTY_INBOX = ['* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)', '* 0 EXISTS', '* 0 RECENT', '* OK [UIDVALIDITY 1] UIDs valid', '* OK [UIDNEXT 1] Predicted next UID'];

/** `user=<email>\x01auth=Bearer <token>\x01\x01`, base64: the XOAUTH2 initial response. */
function decodeXoauth2(base64: string): { user: string; token: string } {
  const fields = Buffer.from(base64, 'base64').toString('utf8').split('\x01');
  const user = fields.find((field) => field.startsWith('user='))?.slice('user='.length) ?? '';
  const token = /^auth=Bearer (.+)$/.exec(fields.find((field) => field.startsWith('auth=')) ?? '')?.[1] ?? '';
  return { user, token };
}

/**
 * A self-signed certificate for 127.0.0.1 (Debian's openssl), written to `dir`: mail programs send
 * OAuth tokens only over TLS, so the local server needs one they can be told to trust.
 */
export function selfSignedCertificate(dir: string): { keyFile: string; certFile: string } {
  const keyFile = join(dir, 'imap-key.pem');
  const certFile = join(dir, 'imap-cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  return { keyFile, certFile };
}

/**
 * An IMAP4rev1 server over TLS (as imaps://) on loopback that, as Gmail does, takes only AUTHENTICATE XOAUTH2 with an
 * access token that `tokeninfo` (the emulator's) calls live for the account that logs in, and then
 * shows one empty INBOX: just enough for a mail program to log in and open it. It records each
 * login and each mailbox opened.
 */
export async function startImapServer(tokeninfo: string, tls: { keyFile: string; certFile: string }) {
  const logins: ImapLogin[] = [];
  const selected: string[] = [];
  const loginWaiters: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const accepts = async (user: string, token: string): Promise<boolean> => {
    const answer = await fetch(`${tokeninfo}?access_token=${encodeURIComponent(token)}`);
    if (!answer.ok) return false;
    const { email } = (await answer.json()) as { email?: string };
    return email === user;
  };

  function serve(socket: Socket): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const send = (...lines: string[]) => socket.write(lines.map((line) => `${line}\r\n`).join(''));
    // The tag of an AUTHENTICATE waiting for its response line, or for the empty line after a refusal.
    let authenticating: { tag: string; refused: boolean } | undefined;
    let buffered = '';
    let queue = Promise.resolve();

    async function authenticate(tag: string, response: string): Promise<void> {
      const login = { ...decodeXoauth2(response), accepted: false };
      login.accepted = await accepts(login.user, login.token);
      logins.push(login);
      if (login.accepted) {
        send(`${tag} OK [CAPABILITY ${CAPABILITY}] ${login.user} authenticated (Success)`);
        for (const wake of loginWaiters.splice(0)) wake();
      } else {
        authenticating = { tag, refused: true };
        send(`+ ${REFUSED}`);
      }
    }

    async function answer(line: string): Promise<void> {
      if (authenticating) {
        const { tag, refused } = authenticating;
        authenticating = undefined;
        if (refused) send(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)`);
        else await authenticate(tag, line);
        return;
      }
      const [tag = '*', rawCommand = '', ...args] = line.split(' ');
      const command = rawCommand.toUpperCase() === 'UID' ? (args[0] ?? '').toUpperCase() : rawCommand.toUpperCase();
      if (command === 'CAPABILITY') send(`* CAPABILITY ${CAPABILITY}`, `${tag} OK CAPABILITY completed`);
      else if (command === 'AUTHENTICATE' && args[0]?.toUpperCase() === 'XOAUTH2') {
        if (args[1]) await authenticate(tag, args[1]);
        else {
          authenticating = { tag, refused: false };
          send('+ ');
        }
      } else if (command === 'AUTHENTICATE' || command === 'LOGIN') send(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)`);
      else if (command === 'LIST' || command === 'LSUB') send(`* ${command} (\\HasNoChildren) "/" "INBOX"`, `${tag} OK ${command} completed`);
      else if (command === 'SELECT' || command === 'EXAMINE') {
        selected.push(args.join(' ').replace(/^"(.*)"$/, '$1'));
        send(...EMPTY_INBOX, `${tag} OK [${command === 'SELECT' ? 'READ-WRITE' : 'READ-ONLY'}] ${command} completed`);
      }
      else if (command === 'STATUS') send(`* STATUS "INBOX" (MESSAGES 0 RECENT 0 UIDNEXT 1 UIDVALIDITY 1 UNSEEN 0)`, `${tag} OK STATUS completed`);
      else if (command === 'LOGOUT') {
        send('* BYE LOGOUT Requested', `${tag} OK LOGOUT completed`);
        socket.end();
      } else send(`${tag} OK ${command} completed`);
    }

    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        // One command at a time, in order, as each may wait for tokeninfo.
        queue = queue.then(() => answer(line));
      }
    });
    send(`* OK [CAPABILITY ${CAPABILITY}] Local IMAP server ready`);
  }

  const server = createServer({ key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) }, serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    logins,
    /** The mailboxes opened with SELECT or EXAMINE, in order. */
    selected,
    /** Resolves once a login has been accepted. */
    accepted: () => (logins.some((login) => login.accepted) ? Promise.resolve() : new Promise<void>((resolve) => loginWaiters.push(resolve))),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
