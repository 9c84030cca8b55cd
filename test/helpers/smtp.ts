import { SMTPServer } from 'smtp-server';

export interface Xoauth2Server {
  /** `smtp://127.0.0.1:<port>`, for nodemailer's `url` option. */
  url: string;
  port: number;
  logins: { user: string; token: string }[];
  delivered: string[];
  close(): Promise<void>;
}

/**
 * A local SMTP server that takes XOAUTH2 logins only, as nodemailer's OAuth2 transport sends them:
 * `accepts` decides whether a login's user and access token are good. Plain text on loopback, so no
 * STARTTLS.
 */
export async function startXoauth2Server(accepts: (user: string, token: string) => Promise<boolean>): Promise<Xoauth2Server> {
  const logins: Xoauth2Server['logins'] = [];
  const delivered: string[] = [];
  const smtp = new SMTPServer({
    authMethods: ['XOAUTH2'],
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const login = { user: auth.username ?? '', token: auth.accessToken ?? '' };
      logins.push(login);
      void accepts(login.user, login.token).then((ok) =>
        ok ? callback(null, { user: login.user }) : callback(new Error('Invalid credentials')),
      );
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
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const address = smtp.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    logins,
    delivered,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
