import { EMULATOR_HOST_VARIABLE, foreignTokenWarning, resolveEndpoints, type GoogleEndpoints } from '../../core/endpoints.js';
import { parseEnvPrefix } from '../../core/output.js';
import type { StoredToken } from '../../core/stored-token.js';
import { loadClient } from '../../oauth/client-source.js';
import type { ClientSecrets } from '../../oauth/google.js';
import { UsageError } from '../../core/errors.js';
import { findStoredToken } from '../../oauth/stored-token.js';
import type { CliIo } from '../io.js';
import { renderFor } from '../render.js';

export interface TokenSourceCliOptions {
  token?: string;
  tokenFile?: string;
  envPrefix: string;
}

export interface StoredClientCliOptions extends TokenSourceCliOptions {
  credentials?: string;
  clientId?: string;
  clientSecret?: string;
}

/** Finds the stored token (SPEC order) and where its requests go; shared by revoke, check, access-token. */
export async function storedToken(options: TokenSourceCliOptions, io: CliIo): Promise<{ stored: StoredToken; endpoints: GoogleEndpoints }> {
  const envPrefix = parseEnvPrefix(options.envPrefix);
  const stored = await findStoredToken({ ...options, envPrefix, env: io.env, cwd: io.cwd });
  const endpoints = resolveEndpoints({ emulatorHost: io.env[EMULATOR_HOST_VARIABLE], tokenUri: stored.tokenUri });
  return { stored, endpoints };
}

/** The client the token belongs to: from the token itself, unless --credentials or --client-id/--client-secret name one. */
export async function storedClient(options: StoredClientCliOptions, io: CliIo): Promise<{ stored: StoredToken; endpoints: GoogleEndpoints; secrets: ClientSecrets }> {
  const { stored, endpoints } = await storedToken(options, io);
  // revoke goes to Google's revocation endpoint whatever the file says; check and access-token refresh at token_uri.
  const foreign = foreignTokenWarning(endpoints, io.env[EMULATOR_HOST_VARIABLE], stored.source, 'the refresh token and client secret go there for each new access token');
  if (foreign) renderFor(io).warn(foreign);
  const explicit = options.credentials !== undefined || options.clientId !== undefined || options.clientSecret !== undefined;
  if (!explicit && stored.clientId && stored.clientSecret) {
    return { stored, endpoints, secrets: { clientId: stored.clientId, clientSecret: stored.clientSecret } };
  }
  if (!explicit) {
    throw new UsageError(`The token from ${stored.source} has no client id and secret. Pass --credentials, or --client-id and --client-secret.`);
  }
  const { client } = await loadClient({ ...options, env: io.env, cwd: io.cwd });
  return { stored, endpoints, secrets: { clientId: client.clientId, clientSecret: client.clientSecret } };
}
