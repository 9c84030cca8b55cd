import { httpPolicyFrom } from '../../oauth/google.js';
import { accessTokenFor } from '../../oauth/token-cache.js';
import type { CliIo } from '../io.js';
import { renderFor } from '../render.js';
import { uninterrupted } from '../signals.js';
import { storedClient, type StoredClientCliOptions } from './stored.js';

export interface AccessTokenCliOptions extends StoredClientCliOptions {
  /** commander's --no-cache */
  cache: boolean;
}

/** Only the token and a newline on stdout, for `$(gmail-token access-token)`. */
export async function runAccessToken(options: AccessTokenCliOptions, io: CliIo): Promise<void> {
  const { emit, warn } = renderFor(io);
  const http = httpPolicyFrom(io.env);
  const { stored, endpoints, secrets } = await storedClient(options, io);
  const accessToken = await accessTokenFor({
    stored,
    secrets,
    endpoints,
    noCache: !options.cache,
    now: () => new Date(),
    warn,
    http,
    uninterrupted: uninterrupted(io, 'Interrupted; the access token was not printed.'),
  });
  await emit(accessToken + '\n');
}
