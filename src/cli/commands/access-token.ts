import { refreshAccess } from '../../oauth/refresh.js';
import { emit } from '../render.js';
import { storedClient, type StoredClientCliOptions } from './stored.js';

/** Only the token and a newline on stdout, for `$(gmail-token access-token)`. */
export async function runAccessToken(options: StoredClientCliOptions): Promise<void> {
  const { stored, endpoints, secrets } = await storedClient(options);
  const { accessToken } = await refreshAccess(stored, secrets, endpoints);
  await emit(accessToken + '\n');
}
