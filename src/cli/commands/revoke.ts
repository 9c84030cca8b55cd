import { EMULATOR_HOST_VARIABLE, resolveEndpoints } from '../../core/endpoints.js';
import { parseEnvPrefix } from '../../core/output.js';
import { revokeToken } from '../../oauth/revoke.js';
import { findStoredToken } from '../../oauth/stored-token.js';
import { say, success } from '../render.js';

export interface TokenSourceCliOptions {
  token?: string;
  tokenFile?: string;
  envFile?: string;
  envPrefix: string;
}

export async function runRevoke(options: TokenSourceCliOptions): Promise<void> {
  const envPrefix = parseEnvPrefix(options.envPrefix);
  const stored = await findStoredToken({ ...options, envPrefix, env: process.env, cwd: process.cwd() });
  const endpoints = resolveEndpoints({ emulatorHost: process.env[EMULATOR_HOST_VARIABLE] });
  const outcome = await revokeToken(stored, endpoints);
  if (outcome.kind === 'already-invalid') {
    say(`Google says the ${outcome.which} from ${stored.source} is already invalid (expired or revoked); nothing to do.`);
    return;
  }
  success(`Revoked the ${outcome.which} from ${stored.source}.`);
  if (outcome.which === 'refresh token') say('The whole grant has ended: its access tokens stop working too. Mint again to get a new one.');
}
