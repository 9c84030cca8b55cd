/**
 * A local stand-in for Google's OAuth endpoints and Gmail's send endpoint, faithful enough that
 * gmail-token (and people's own mail code) can be exercised with no Google account or network.
 */
import type { AddressInfo, Server } from 'node:net';
import { KEEP_LIMITS, keepBounded } from './bounds.js';
import type { Context } from './context.js';
import { GrantStore } from './grants.js';
import { imapSession } from './imap.js';
import { createLineServer } from './mail-listener.js';
import { createEmulatorServer } from './server.js';
import { smtpSession } from './smtp.js';
import type { Emulator, EmulatorBehaviour, EmulatorClient, EmulatorOptions, MailLogin, RecordedRequest, SentMessage } from './types.js';

export type {
  Emulator,
  MailLogin,
  EmulatorBehaviour,
  EmulatorClient,
  EmulatorOptions,
  RecordedRequest,
  SentMessage,
  TokenFault,
} from './types.js';
export { EMULATOR_PROJECT_NUMBER, FAULT_DOMAIN, GMAIL_ERRORS, type GmailError, type GmailErrorName } from './gmail-errors.js';
export { NOT_A_TEST_USER } from './routes-consent.js';
export { INVALID_RAPT_FAULT } from './routes-token.js';
export { TEST_ONLY_CERTIFICATE } from './mail-tls.js';

const DEFAULT_CLIENT: EmulatorClient = {
  clientId: 'emulator-desktop.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-emulator-desktop-secret',
  type: 'installed',
  redirectUris: ['http://localhost'],
};

const DEFAULT_BEHAVIOUR: EmulatorBehaviour = { consent: 'approve', account: 'tester@example.com', tokenFault: null };

/** The same fields Cloud Console puts in a downloaded client file, pointed at this emulator. */
function credentialsFor(origin: string, client: EmulatorClient): object {
  return {
    [client.type]: {
      client_id: client.clientId,
      project_id: 'gmail-token-emulator',
      auth_uri: `${origin}/o/oauth2/auth`,
      token_uri: `${origin}/token`,
      auth_provider_x509_cert_url: `${origin}/oauth2/v1/certs`,
      client_secret: client.clientSecret,
      redirect_uris: [...client.redirectUris],
    },
  };
}

/** `{ account: undefined }` should mean "the default", not "no account". */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The Host values a browser or client sends when it means this emulator (issue #19.8). */
function ownHosts(hostPort: string, port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, hostPort.toLowerCase()]);
}

function keeping(ctx: Pick<Context, 'messages'>, mailLogins: MailLogin[]): Pick<Context, 'keepMessage' | 'uidOf' | 'keepMailLogin'> {
  const uids = new WeakMap<SentMessage, number>();
  let lastUid = 0;
  return {
    keepMessage(message) {
      uids.set(message, ++lastUid);
      keepBounded(ctx.messages, message, (kept) => kept.message.length + kept.raw.length, KEEP_LIMITS.messages);
    },
    uidOf: (message) => uids.get(message) ?? 0,
    keepMailLogin: (login) => keepBounded(mailLogins, login, () => 1, { count: KEEP_LIMITS.received.count, bytes: Infinity }),
  };
}

function hostPortOf(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** HTTP, SMTP and IMAP on the ports asked for (0: any free one); one port taken leaves none listening. */
type Listening = { server: Server; destroySockets(): void };

async function listenAll(host: string, ports: [number, number, number], servers: [Listening, Listening, Listening]): Promise<{ ports: [number, number, number]; closeAll(): Promise<void> }> {
  const closeAll = () =>
    Promise.all(
      servers.map(
        ({ server, destroySockets }) =>
          new Promise<void>((resolve) => {
            if (!server.listening) return resolve();
            server.close(() => resolve());
            destroySockets();
          }),
      ),
    ).then(() => undefined);
  try {
    const [http, smtp, imap] = servers;
    const bound = await Promise.all([listen(http.server, ports[0], host), listen(smtp.server, ports[1], host), listen(imap.server, ports[2], host)]);
    return { ports: bound, closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new GrantStore();
  const defaultClient: EmulatorClient = { ...DEFAULT_CLIENT, redirectUris: [...DEFAULT_CLIENT.redirectUris] };
  for (const client of [defaultClient, ...(options.clients ?? [])]) store.addClient(client);
  const received: RecordedRequest[] = [];
  const messages: SentMessage[] = [];
  const mailLogins: MailLogin[] = [];
  let origin = '';
  let hosts: ReadonlySet<string> = new Set();
  const ctx: Context = {
    store,
    behaviour: () => emulator.behaviour,
    messages,
    ...keeping({ messages }, mailLogins),
    credentialsFile: (client) => credentialsFor(origin, client ?? defaultClient),
  };
  const { ports, closeAll } = await listenAll(host, [options.port ?? 0, options.smtpPort ?? 0, options.imapPort ?? 0], [
    createEmulatorServer({ ctx, received, log: options.log, ownHosts: () => hosts }),
    createLineServer(() => smtpSession(ctx)),
    createLineServer(() => imapSession(ctx)),
  ]);
  const [port, smtpPort, imapPort] = ports;
  const hostPort = hostPortOf(host, port);
  hosts = ownHosts(hostPort, port);
  origin = `http://${hostPort}`;
  const smtpHostPort = hostPortOf(host, smtpPort);
  const imapHostPort = hostPortOf(host, imapPort);
  let closing: Promise<void> | undefined;
  const emulator: Emulator = {
    host,
    port,
    hostPort,
    origin,
    smtpHostPort,
    imapHostPort,
    defaultClient,
    behaviour: { ...DEFAULT_BEHAVIOUR, ...definedOnly(options.behaviour ?? {}) },
    received,
    messages,
    mailLogins,
    addClient: (client) => store.addClient(client),
    credentialsFile: ctx.credentialsFile,
    revokeAll: () => store.revokeAll(),
    close: () => (closing ??= closeAll()),
  };
  return emulator;
}
