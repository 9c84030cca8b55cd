import { DEMO_MARKER, keptByDemo } from './demo.js';
import { UsageError } from './errors.js';

/** A token someone kept: a token.json, env values, or a bare token given on the command line. */
export interface StoredToken {
  source: string;
  refreshToken?: string;
  accessToken?: string;
  /** When the stored access token stops working, if the file says (`expiry`). */
  accessTokenExpiry?: Date;
  clientId?: string;
  clientSecret?: string;
  tokenUri?: string;
  account?: string;
  refreshTokenExpiry?: Date;
  /** The token.json it was read from: the one place a refreshed access token can be written back. */
  file?: string;
}

function optionalString(file: Record<string, unknown>, key: string, source: string): string | undefined {
  const value = file[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new UsageError(`${source}: ${key} should be a string.`);
  return value;
}

function optionalDate(file: Record<string, unknown>, key: string, source: string): Date | undefined {
  const text = optionalString(file, key, source);
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${source}: ${key} is not a date.`);
  return date;
}

/**
 * `expiry` only says how long the stored access token may be reused, so one that cannot be read
 * means "refresh it" rather than a file to refuse (google-auth and others write their own forms).
 */
function cacheExpiry(file: Record<string, unknown>): Date | undefined {
  const value = file.expiry;
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Reads a token.json as written by `mint` (or by google-auth's `to_json()`). */
export function parseTokenFile(text: string, source: string): StoredToken {
  let file: unknown;
  try {
    // A UTF-8 byte order mark (Notepad, PowerShell's Out-File -Encoding utf8) is not part of the JSON.
    file = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError(`${source} is not valid JSON. Pass a token.json written by \`gmail-token mint\`.`);
  }
  if (file === null || typeof file !== 'object' || Array.isArray(file)) {
    throw new UsageError(`${source} is not a token object. Pass a token.json written by \`gmail-token mint\`.`);
  }
  const record = file as Record<string, unknown>;
  if ('installed' in record || 'web' in record) {
    throw new UsageError(`${source} is an OAuth client (credentials.json), not a token. Run \`gmail-token mint\` to get a token.json.`);
  }
  if (DEMO_MARKER in record) throw new UsageError(keptByDemo(source, 'token.json'));
  const token: StoredToken = {
    source,
    refreshToken: optionalString(record, 'refresh_token', source),
    accessToken: optionalString(record, 'token', source) ?? optionalString(record, 'access_token', source),
    accessTokenExpiry: cacheExpiry(record),
    clientId: optionalString(record, 'client_id', source),
    clientSecret: optionalString(record, 'client_secret', source),
    tokenUri: optionalString(record, 'token_uri', source),
    account: optionalString(record, 'account', source),
    refreshTokenExpiry: optionalDate(record, 'refresh_token_expiry', source),
  };
  if (!token.refreshToken && !token.accessToken) {
    throw new UsageError(`${source} holds no refresh_token and no token. Run \`gmail-token mint\` to get one.`);
  }
  return token;
}

/** The three values `mint -f env` writes, from a .env file's contents or the environment. */
export function tokenFromEnv(values: (name: string) => string | undefined, prefix: string, source: string): StoredToken | undefined {
  const refreshToken = values(`${prefix}REFRESH_TOKEN`) || undefined;
  if (!refreshToken) return undefined;
  return {
    source,
    refreshToken,
    clientId: values(`${prefix}CLIENT_ID`) || undefined,
    clientSecret: values(`${prefix}CLIENT_SECRET`) || undefined,
  };
}
