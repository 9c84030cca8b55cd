import { UsageError } from './errors.js';

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
  throw new UsageError(`Unknown format "${value}". Use one of: ${FORMATS.join(', ')}.`);
}

export function parseEnvPrefix(value: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(value) || value === '') return value;
  throw new UsageError(
    `--env-prefix "${value}" is not usable in a variable name. Use letters, digits and _, e.g. GMAIL_API_.`,
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

export type EnvEntries = [name: string, value: string][];

export function envEntries(prefix: string, token: Pick<MintedToken, 'clientId' | 'clientSecret' | 'refreshToken'>): EnvEntries {
  return [
    [`${prefix}CLIENT_ID`, token.clientId],
    [`${prefix}CLIENT_SECRET`, token.clientSecret],
    [`${prefix}REFRESH_TOKEN`, token.refreshToken],
  ];
}

/** dotenv reads these bare; anything else is quoted so it comes back unchanged. */
function dotenvValue(value: string): string {
  if (/^[A-Za-z0-9_\-./+:@=,~%]*$/.test(value)) return value;
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

function shellValue(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function envLine([name, value]: [string, string]): string {
  return `${name}=${dotenvValue(value)}`;
}

export function envText(entries: EnvEntries): string {
  return entries.map((entry) => envLine(entry) + '\n').join('');
}

export function shellText(entries: EnvEntries): string {
  return entries.map(([name, value]) => `export ${name}=${shellValue(value)}\n`).join('');
}

function assignedName(line: string): string | undefined {
  return /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/.exec(line)?.[1];
}

/**
 * Updates the given keys of an existing .env in place: each line that assigns one of them is
 * replaced, keys not yet there are appended, and every other byte stays as it was (including
 * CRLF line ends and a missing final newline on lines we do not touch).
 */
export function mergeDotenv(existing: string, entries: EnvEntries): string {
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const values = new Map(entries);
  const seen = new Set<string>();
  const parts = existing.split(/(\r?\n)/);
  for (let i = 0; i < parts.length; i += 2) {
    const name = assignedName(parts[i] ?? '');
    if (name === undefined || !values.has(name)) continue;
    const exported = /^\s*export\s/.test(parts[i] ?? '') ? 'export ' : '';
    parts[i] = exported + envLine([name, values.get(name) ?? '']);
    seen.add(name);
  }
  let merged = parts.join('');
  const missing = entries.filter(([name]) => !seen.has(name));
  if (missing.length === 0) return merged;
  if (merged !== '' && !merged.endsWith('\n')) merged += eol;
  return merged + missing.map((entry) => envLine(entry) + eol).join('');
}

/** The bytes to write for a format; `existing` is the current .env when updating one in place. */
export function renderOutput(format: Format, token: MintedToken, prefix: string, existing?: string): string {
  if (format === 'json') return tokenJson(token);
  const entries = envEntries(prefix, token);
  if (format === 'shell') return shellText(entries);
  return existing === undefined ? envText(entries) : mergeDotenv(existing, entries);
}

/** SPEC: token.json for json, stdout for env and shell. */
export function defaultOut(format: Format): string {
  return format === 'json' ? 'token.json' : '-';
}
