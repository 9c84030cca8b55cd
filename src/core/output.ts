import { envLine, type EnvEntries } from './dotenv.js';
import { mergeDotenv } from './dotenv-merge.js';
import { UsageError } from './errors.js';
import { shown } from './terminal.js';

export type Format = 'json' | 'env' | 'shell';
export const FORMATS: readonly Format[] = ['json', 'env', 'shell'];

/** What a successful mint produced; the input of every output format. */
export interface MintedToken {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken: string;
  tokenUri: string;
  scopes: string[];
  expiry: Date;
  account: string;
  refreshTokenExpiry?: Date;
}

export function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`Unknown format ${shown(value)}. Use one of: ${FORMATS.join(', ')}.`);
}

export function parseEnvPrefix(value: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(value) || value === '') return value;
  throw new UsageError(
    `--env-prefix ${shown(value)} is not usable in a variable name. Use letters, digits and _, e.g. GMAIL_API_.`,
  );
}

/**
 * The union of the fields that Python google-auth, Node google-auth-library and the Gmail
 * quickstarts read (google-oauth-facts §9); each reader ignores the keys it does not know.
 */
export function tokenJson(token: MintedToken): string {
  const file: Record<string, unknown> = {
    type: 'authorized_user',
    client_id: token.clientId,
    client_secret: token.clientSecret,
    refresh_token: token.refreshToken,
    token_uri: token.tokenUri,
    scopes: token.scopes,
    token: token.accessToken,
    expiry: token.expiry.toISOString(),
    universe_domain: 'googleapis.com',
    account: token.account,
  };
  if (token.refreshTokenExpiry) file.refresh_token_expiry = token.refreshTokenExpiry.toISOString();
  return JSON.stringify(file, null, 2) + '\n';
}

export function envEntries(prefix: string, token: Pick<MintedToken, 'clientId' | 'clientSecret' | 'refreshToken'>): EnvEntries {
  return [
    [`${prefix}CLIENT_ID`, token.clientId],
    [`${prefix}CLIENT_SECRET`, token.clientSecret],
    [`${prefix}REFRESH_TOKEN`, token.refreshToken],
  ];
}

function shellValue(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function envText(entries: EnvEntries): string {
  return entries.map((entry) => envLine(entry) + '\n').join('');
}

export function shellText(entries: EnvEntries): string {
  return entries.map(([name, value]) => `export ${name}=${shellValue(value)}\n`).join('');
}

/** The text to write for a format, as a new file (a .env update is merged at write time, in oauth/deliver). */
export function renderOutput(format: Format, token: MintedToken, prefix: string): string {
  if (format === 'json') return tokenJson(token);
  const entries = envEntries(prefix, token);
  return format === 'shell' ? shellText(entries) : envText(entries);
}

/**
 * Renders env output with a stand-in refresh token (Google's are plain base64url), so that a client
 * value or an existing .env that dotenv could not read back is refused before the consent flow.
 */
export function checkEnvOutput(client: Pick<MintedToken, 'clientId' | 'clientSecret'>, prefix: string, existing?: Uint8Array): void {
  const entries = envEntries(prefix, { ...client, refreshToken: '1//0stand-in' });
  if (existing === undefined) envText(entries);
  else mergeDotenv(existing, entries);
}

/** SPEC: token.json for json, stdout for env and shell. */
export function defaultOut(format: Format): string {
  return format === 'json' ? 'token.json' : '-';
}
