import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpLogin {
  method: string;
  user: string;
  token: string;
}

/**
 * An SMTP server on loopback that, as Gmail does, takes only XOAUTH2 with an access token that
 * `tokeninfo` (the emulator's) calls live, and, when tokeninfo names the account, only for that
 * account (`requireAccount`: only when it names it). It records each login and each message delivered.
 */
export async function startXoauth2Server(tokeninfo: string, options: { requireAccount?: boolean } = {}) {
  const logins: SmtpLogin[] = [];
  const delivered: string[] = [];
  const accepts = async (user: string, token: string): Promise<boolean> => {
    const answer = await fetch(`${tokeninfo}?access_token=${encodeURIComponent(token)}`);
    if (!answer.ok) return false;
    const { email } = (await answer.json()) as { email?: string };
    return email === user || (email === undefined && !options.requireAccount);
  };
  const server = new SMTPServer({
    authMethods: ['XOAUTH2'],
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const login = { method: auth.method, user: auth.username ?? '', token: auth.accessToken ?? '' };
      logins.push(login);
      void accepts(login.user, login.token).then((ok) => (ok ? callback(null, { user: login.user }) : callback(new Error('Invalid credentials'))));
    },
    onData(stream, _session, callback) {
      let text = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      stream.on('end', () => {
        delivered.push(text);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    /** `smtp://127.0.0.1:<port>`, for nodemailer's `url` option. */
    url: `smtp://127.0.0.1:${port}`,
    port,
    logins,
    delivered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
