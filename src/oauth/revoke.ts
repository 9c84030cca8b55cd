import type { GoogleEndpoints } from '../core/endpoints.js';
import type { StoredToken } from '../core/stored-token.js';
import { describeFailure, googleFailure, oauthClient, type HttpPolicy } from './google.js';

export type RevokeOutcome = { kind: 'revoked'; which: 'refresh token' | 'access token' } | { kind: 'already-invalid'; which: 'refresh token' | 'access token' };

/**
 * Revokes the refresh token when there is one, since that ends the whole grant; a token Google
 * already considers dead is reported, not failed (SPEC `revoke`).
 */
export async function revokeToken(stored: StoredToken, endpoints: GoogleEndpoints, http?: HttpPolicy): Promise<RevokeOutcome> {
  const which = stored.refreshToken ? 'refresh token' : 'access token';
  const token = stored.refreshToken ?? stored.accessToken ?? '';
  const client = await oauthClient({ clientId: stored.clientId ?? '', clientSecret: stored.clientSecret ?? '' }, endpoints, { http });
  try {
    await client.revokeToken(token);
    return { kind: 'revoked', which };
  } catch (error) {
    const failure = googleFailure(error);
    if (failure.status === 400 && failure.error === 'invalid_token') return { kind: 'already-invalid', which };
    throw describeFailure(failure, 'Revoking the token');
  }
}
