import { accessTokenFor } from '../../oauth/token-cache.js';
import { emit, warn } from '../render.js';
import { storedClient, type StoredClientCliOptions } from './stored.js';

export interface AccessTokenCliOptions extends StoredClientCliOptions {
  /** commander's --no-cache */
  cache: boolean;
}

/** Only the token and a newline on stdout, for `$(gmail-token access-token)`. */
export async function runAccessToken(options: AccessTokenCliOptions): Promise<void> {
  const { stored, endpoints, secrets } = await storedClient(options);
  const accessToken = await accessTokenFor({ stored, secrets, endpoints, noCache: !options.cache, now: () => new Date(), warn });
  await emit(accessToken + '\n');
}
