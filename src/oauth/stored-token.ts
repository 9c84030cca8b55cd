import { join, resolve } from 'node:path';
import { refuseWideEncoding } from '../core/encoding.js';
import { UsageError } from '../core/errors.js';
import { isKeptEnv, keptByDemo } from '../core/demo.js';
import { parseDotenv } from '../core/dotenv.js';
import { parseTokenFile, tokenFromEnv, type StoredToken } from '../core/stored-token.js';
import { fileExists, readFileBytes } from './files.js';

export interface TokenSources {
  token?: string;
  tokenFile?: string;
  envPrefix: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Google's access tokens start "ya29."; anything else given bare is taken as a refresh token. */
function bareToken(value: string): StoredToken {
  if (value.trim() === '') throw new UsageError('--token is empty. Pass the refresh token (or an access token).');
  return value.startsWith('ya29.') ? { source: '--token', accessToken: value } : { source: '--token', refreshToken: value };
}

function fromEnvText(text: string, path: string, prefix: string): StoredToken {
  if (isKeptEnv(text)) throw new UsageError(keptByDemo(path, '.env'));
  const values = parseDotenv(text);
  const token = tokenFromEnv((name) => values.get(name), prefix, path);
  if (!token) throw new UsageError(`${path} has no ${prefix}REFRESH_TOKEN. Check the file, or --env-prefix if your names differ.`);
  return token;
}

/**
 * --token-file takes what mint writes, a token.json or a .env, told apart by content: a JSON
 * object starts with "{" (after a BOM and blanks), which no dotenv line does. `path` is shown as
 * the person gave it and read from the run's folder `cwd`.
 */
async function tokenFile(cwd: string, path: string, source: string, prefix: string): Promise<StoredToken> {
  const file = resolve(cwd, path);
  // The encoding is judged on the file's own bytes: decoded first, a UTF-32 BOM is no longer one.
  const bytes = await readFileBytes(file, 'The token file', '', path);
  refuseWideEncoding(bytes, path);
  const text = bytes.toString('utf8');
  if (!/^\uFEFF?\s*\{/.test(text)) return fromEnvText(text, path, prefix);
  return { ...parseTokenFile(text, source), file };
}

/** SPEC `revoke`: --token, --token-file, environment, ./token.json; the first found wins. */
export async function findStoredToken(sources: TokenSources): Promise<StoredToken> {
  if (sources.token !== undefined) return bareToken(sources.token);
  if (sources.tokenFile !== undefined) return tokenFile(sources.cwd, sources.tokenFile, sources.tokenFile, sources.envPrefix);
  const fromEnvironment = tokenFromEnv((name) => sources.env[name], sources.envPrefix, `$${sources.envPrefix}REFRESH_TOKEN`);
  if (fromEnvironment) return fromEnvironment;
  const local = join(sources.cwd, 'token.json');
  if (await fileExists(local)) return tokenFile(sources.cwd, local, 'token.json', sources.envPrefix);
  throw new UsageError(`No token found. Pass --token or --token-file, set ${sources.envPrefix}REFRESH_TOKEN, or run where token.json is.`);
}
