/**
 * A local stand-in for Google's OAuth endpoints and Gmail's send endpoint, faithful enough that
 * gmail-token (and people's own mail code) can be exercised with no Google account or network.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Context } from './context.js';
import { GrantStore } from './grants.js';
import { createEmulatorServer } from './server.js';
import type { Emulator, EmulatorBehaviour, EmulatorClient, EmulatorOptions, RecordedRequest, SentMessage } from './types.js';

export type {
  Emulator,
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

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new GrantStore();
  const defaultClient: EmulatorClient = { ...DEFAULT_CLIENT, redirectUris: [...DEFAULT_CLIENT.redirectUris] };
  for (const client of [defaultClient, ...(options.clients ?? [])]) store.addClient(client);
  const received: RecordedRequest[] = [];
  const messages: SentMessage[] = [];
  let origin = '';
  const ctx: Context = {
    store,
    behaviour: () => emulator.behaviour,
    messages,
    credentialsFile: (client) => credentialsFor(origin, client ?? defaultClient),
  };
  const { server, destroySockets } = createEmulatorServer({ ctx, received, log: options.log });
  const port = await listen(server, options.port ?? 0, host);
  const hostPort = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  origin = `http://${hostPort}`;
  let closing: Promise<void> | undefined;
  const emulator: Emulator = {
    host,
    port,
    hostPort,
    origin,
    defaultClient,
    behaviour: { ...DEFAULT_BEHAVIOUR, ...definedOnly(options.behaviour ?? {}) },
    received,
    messages,
    addClient: (client) => store.addClient(client),
    credentialsFile: ctx.credentialsFile,
    revokeAll: () => store.revokeAll(),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        destroySockets();
      })),
  };
  return emulator;
}
