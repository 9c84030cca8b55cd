import { UsageError } from './errors.js';

/** An OAuth client, as read from Cloud Console's credentials.json or from flags. */
export interface OAuthClient {
  type: 'installed' | 'web';
  clientId: string;
  clientSecret: string;
  authUri?: string;
  tokenUri?: string;
  redirectUris: string[];
}

const GET_ONE =
  'Download the JSON of an OAuth client ID of type "Desktop app" from Google Cloud Console ' +
  '(APIs & Services → Credentials).';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function parseJson(text: string, source: string): Json {
  if (text.trim() === '') throw new UsageError(`${source} is empty. ${GET_ONE}`);
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new UsageError(`${source} is not valid JSON. ${GET_ONE}`);
  }
}

function describe(value: Json): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function rejectOtherFileKinds(file: { [key: string]: Json }, source: string): void {
  if (file.type === 'service_account') {
    throw new UsageError(
      `${source} is a service-account key, which cannot ask a person for consent. ` +
        `Create an OAuth client ID of type "Desktop app" instead and pass its JSON.`,
    );
  }
  if (file.type === 'authorized_user' || 'refresh_token' in file) {
    throw new UsageError(
      `${source} is a token file (like token.json), not an OAuth client. ` +
        `Pass the credentials.json of the OAuth client with --credentials.`,
    );
  }
}

function stringField(section: { [key: string]: Json }, key: string, where: string): string | undefined {
  const value = section[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new UsageError(`${where}.${key} should be a string but is ${describe(value)}. ${GET_ONE}`);
  }
  return value;
}

function requiredField(section: { [key: string]: Json }, key: string, where: string): string {
  const value = stringField(section, key, where);
  if (!value) throw new UsageError(`${where} has no ${key}. ${GET_ONE}`);
  return value;
}

function redirectUris(section: { [key: string]: Json }, where: string): string[] {
  const value = section.redirect_uris;
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((uri) => typeof uri === 'string')) {
    throw new UsageError(`${where}.redirect_uris should be a list of URIs. ${GET_ONE}`);
  }
  return value as string[];
}

/** Reads a credentials.json; every way it can be wrong gets its own one-line message. */
export function parseCredentials(text: string, source: string): OAuthClient {
  const file = parseJson(text, source);
  if (file === null || typeof file !== 'object' || Array.isArray(file)) {
    throw new UsageError(`${source} holds ${describe(file)}, not an OAuth client object. ${GET_ONE}`);
  }
  rejectOtherFileKinds(file, source);
  const type = 'installed' in file ? 'installed' : 'web' in file ? 'web' : undefined;
  if (!type) {
    throw new UsageError(`${source} has neither an "installed" nor a "web" client. ${GET_ONE}`);
  }
  const section = file[type];
  const where = `${source}: ${type}`;
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    throw new UsageError(`${where} should be an object but is ${describe(section ?? null)}. ${GET_ONE}`);
  }
  const client: OAuthClient = {
    type,
    clientId: requiredField(section, 'client_id', where),
    clientSecret: requiredField(section, 'client_secret', where),
    authUri: stringField(section, 'auth_uri', where),
    tokenUri: stringField(section, 'token_uri', where),
    redirectUris: redirectUris(section, where),
  };
  if (type === 'web') webLoopbackRedirect(client, source);
  return client;
}

/** A client given as --client-id/--client-secret is treated as a Desktop app client. */
export function clientFromValues(clientId: string, clientSecret: string): OAuthClient {
  return { type: 'installed', clientId, clientSecret, redirectUris: [] };
}

export interface LoopbackRedirect {
  hostname: '127.0.0.1' | 'localhost';
  port: number;
  path: string;
}

function asLoopback(uri: string): LoopbackRedirect | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'http:' || !loopback || url.port === '' || url.search || url.hash) return undefined;
  return { hostname: url.hostname as LoopbackRedirect['hostname'], port: Number(url.port), path: url.pathname };
}

/**
 * A Web client can only redirect to a URI registered exactly, so the tool must listen on the
 * first registered loopback URI that names a port (SPEC flow step 3).
 */
export function webLoopbackRedirect(client: OAuthClient, source: string): LoopbackRedirect {
  for (const uri of client.redirectUris) {
    const loopback = asLoopback(uri);
    if (loopback) return loopback;
  }
  throw new UsageError(
    `The Web client in ${source} has no loopback redirect URI with a port. Add ` +
      `http://127.0.0.1:8085/oauth2callback to its Authorized redirect URIs in Cloud Console, ` +
      `or use a Desktop app client instead.`,
  );
}
