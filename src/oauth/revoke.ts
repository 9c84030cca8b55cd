import type { GoogleEndpoints } from '../core/endpoints.js';
import { FlowError } from '../core/errors.js';
import type { StoredToken } from '../core/stored-token.js';
import { describeFailure, googleFailure, notJson, oauthClient, type HttpPolicy } from './google.js';

export type RevokeOutcome = { kind: 'revoked'; which: 'refresh token' | 'access token' } | { kind: 'already-invalid'; which: 'refresh token' | 'access token' };

/**
 * Google's revocation endpoint answers an empty body, which the library reads as '' or, with a
 * JSON content type, as {} (googleapis/google-auth-library-nodejs#1900). Any other 2xx body came
 * from a proxy or captive portal, and the token, maybe leaked, is still live.
 */
function isGoogleRevoked(data: unknown): boolean {
  if (typeof data === 'string') return data.trim() === '';
  return typeof data === 'object' && data !== null && !Array.isArray(data) && !(data instanceof Blob) && Object.keys(data).length === 0;
}

/**
 * Revokes the refresh token when there is one, since that ends the whole grant; a token Google
 * already considers dead is reported, not failed (SPEC `revoke`).
 */
export async function revokeToken(stored: StoredToken, endpoints: GoogleEndpoints, http?: HttpPolicy): Promise<RevokeOutcome> {
  const which = stored.refreshToken ? 'refresh token' : 'access token';
  const token = stored.refreshToken ?? stored.accessToken ?? '';
  const client = await oauthClient({ clientId: stored.clientId ?? '', clientSecret: stored.clientSecret ?? '' }, endpoints, { http });
  try {
    const answer = await client.revokeToken(token);
    if (!isGoogleRevoked(answer.data)) throw notJson('Revoking the token', answer.data);
    return { kind: 'revoked', which };
  } catch (error) {
    if (error instanceof FlowError) throw error;
    const failure = googleFailure(error);
    if (failure.status === 400 && failure.error === 'invalid_token') return { kind: 'already-invalid', which };
    throw describeFailure(failure, 'Revoking the token');
  }
}
