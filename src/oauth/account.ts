import type { GoogleEndpoints } from '../core/endpoints.js';
import { oauthClient, type ClientSecrets, type HttpPolicy } from './google.js';

function emailFromIdToken(idToken: string | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email?: unknown };
    return typeof claims.email === 'string' ? claims.email : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The account's address, when the grant allows learning it: from the id_token when `openid` came
 * with it, else from tokeninfo. Unknown is not an error; the token works all the same.
 */
export async function accountEmail(
  secrets: ClientSecrets,
  endpoints: GoogleEndpoints,
  grant: { accessToken: string; idToken?: string },
  http?: HttpPolicy,
): Promise<string> {
  const fromIdToken = emailFromIdToken(grant.idToken);
  if (fromIdToken) return fromIdToken;
  try {
    const client = await oauthClient(secrets, endpoints, { http });
    const info = await client.getTokenInfo(grant.accessToken);
    return info.email ?? '';
  } catch {
    return '';
  }
}
