import { join, resolve } from 'node:path';
import { clientFromValues, parseCredentials, type OAuthClient } from '../core/credentials.js';
import { UsageError } from '../core/errors.js';
import { fileExists, readTextFile } from './files.js';

export interface ClientSources {
  credentials?: string;
  clientId?: string;
  clientSecret?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** On a terminal: explain where a client file comes from and ask for its path. */
  askForCredentials?: (explanation: string) => Promise<string | undefined>;
}

export interface LoadedClient {
  client: OAuthClient;
  source: string;
}

const WHERE =
  'Create one in Google Cloud Console (APIs & Services → Credentials → Create credentials → OAuth client ID → Desktop app), download its JSON';

function fromValues(clientId: string | undefined, clientSecret: string | undefined, names: string): LoadedClient {
  if (!clientId || !clientSecret) throw new UsageError(`Give both ${names}.`);
  return { client: clientFromValues(clientId, clientSecret), source: names };
}

/** `path` as the person gave it, read from the run's folder `cwd`. */
async function fromFile(cwd: string, path: string): Promise<LoadedClient> {
  const text = await readTextFile(resolve(cwd, path), 'The credentials file', `${WHERE}, and pass it with --credentials.`, path);
  return { client: parseCredentials(text, path), source: path };
}

/** Flags first, then the environment, then ./credentials.json (SPEC `mint` options). */
export async function loadClient(sources: ClientSources): Promise<LoadedClient> {
  const flagValues = sources.clientId !== undefined || sources.clientSecret !== undefined;
  if (sources.credentials !== undefined && flagValues) {
    throw new UsageError('Give either --credentials or --client-id with --client-secret, not both.');
  }
  if (sources.credentials !== undefined) return fromFile(sources.cwd, sources.credentials);
  if (flagValues) return fromValues(sources.clientId, sources.clientSecret, '--client-id and --client-secret');
  if (sources.env.GMAIL_TOKEN_CREDENTIALS) return fromFile(sources.cwd, sources.env.GMAIL_TOKEN_CREDENTIALS);
  if (sources.env.GOOGLE_CLIENT_ID || sources.env.GOOGLE_CLIENT_SECRET) {
    return fromValues(sources.env.GOOGLE_CLIENT_ID, sources.env.GOOGLE_CLIENT_SECRET, '$GOOGLE_CLIENT_ID and $GOOGLE_CLIENT_SECRET');
  }
  const local = join(sources.cwd, 'credentials.json');
  if (await fileExists(local)) return fromFile(sources.cwd, local);
  const given = await sources.askForCredentials?.(`No credentials.json here. ${WHERE}.`);
  if (given) return fromFile(sources.cwd, given);
  throw new UsageError(`No credentials.json here. ${WHERE} as credentials.json, or pass --credentials.`);
}
