import type { OAuth2Client } from 'google-auth-library';
import type { GoogleEndpoints } from '../core/endpoints.js';
import { FlowError, UsageError } from '../core/errors.js';
import type { StoredToken } from '../core/stored-token.js';
import { hasBearerShape } from '../core/token-cache.js';
import { describeFailure, googleFailure, lastAnswerOf, notJson, oauthClient, type ClientSecrets, type HttpPolicy } from './google.js';

export const INVALID_GRANT_CAUSES =
  'The usual causes: it was revoked; the account password changed; the app is in "Testing" publishing status, whose refresh tokens expire after 7 days; it was unused for 6 months; or the client has over 100 refresh tokens for this account, so the oldest stopped. Mint a new one with `gmail-token mint`.';

/** Google's admin_policy_enforced, wherever the token endpoint answers it. */
export const ADMIN_POLICY_ADVICE =
  'A Google Workspace admin policy blocks this app or one of its scopes for this account. Ask the Workspace admin to trust the app (Admin console: Security, API controls), or use another account.';

export interface FreshAccess {
  client: OAuth2Client;
  accessToken: string;
  expiresAt: Date;
}

function refreshFailure(error: unknown, source: string): FlowError {
  const failure = googleFailure(error);
  if (failure.error === 'invalid_grant' && failure.subtype === 'invalid_rapt') {
    return new FlowError(
      `Google wants the account to sign in again (invalid_grant, invalid_rapt): a reauthentication policy of the account or its Workspace ended this token. Mint a new one with \`gmail-token mint\`.`,
    );
  }
  if (failure.error === 'invalid_grant') return new FlowError(`Google refused the refresh token from ${source} (invalid_grant). ${INVALID_GRANT_CAUSES}`);
  if (failure.error === 'unauthorized_client') {
    return new FlowError(
      `Google refused the token from ${source} (unauthorized_client): it belongs to a different OAuth client. Use it with the credentials.json it was minted with, or mint a new token with this client.`,
    );
  }
  if (failure.error === 'admin_policy_enforced') return new FlowError(`Google refused the refresh token from ${source} (admin_policy_enforced). ${ADMIN_POLICY_ADVICE}`);
  if (failure.error === 'invalid_client') {
    return new FlowError(`Google refused the client (invalid_client): the client secret is wrong or the OAuth client was deleted. Use the client the token was minted with.`);
  }
  return describeFailure(failure, 'Refreshing the token');
}

/**
 * Google's access tokens are RFC 6750 b64tokens; anything else (a CR/LF above all) came from a
 * tampered token_uri or a proxy, and printed for `Authorization: Bearer $(gmail-token
 * access-token)` it would become a header of its own.
 */
function checkedAccessToken(token: string, source: string): string {
  if (hasBearerShape(token)) return token;
  throw new FlowError(
    `Refreshing the token failed: the token endpoint sent an access token with characters no bearer token has (RFC 6750), so it was neither printed nor saved. Check the token_uri of ${source}.`,
  );
}

/**
 * The library turns expires_in into expiry_date; a non-numeric one leaves NaN, and one past
 * 8.64e15 ms (about 275,000 years) a Date that cannot be written: no date at all either way.
 */
function checkedExpiry(expiryDate: number | null | undefined, source: string): Date {
  if (expiryDate === null || expiryDate === undefined) return new Date(Date.now() + 3599_000);
  const expiresAt = new Date(expiryDate);
  if (!Number.isNaN(expiresAt.getTime())) return expiresAt;
  throw new FlowError(
    `Refreshing the token failed: the token endpoint's expires_in is not a number of seconds (or is too large for a date), so the access token was neither printed nor saved. Check the token_uri of ${source}.`,
  );
}

/** Trades the refresh token for a new access token, explaining each way that can fail. */
export async function refreshAccess(stored: StoredToken, secrets: ClientSecrets, endpoints: GoogleEndpoints, http?: HttpPolicy): Promise<FreshAccess> {
  if (!stored.refreshToken) {
    throw new UsageError(`${stored.source} holds no refresh token, so no new access token can be made. Use the token.json or env lines from \`gmail-token mint\`.`);
  }
  const client = await oauthClient(secrets, endpoints, { http });
  client.setCredentials({ refresh_token: stored.refreshToken });
  const answer = lastAnswerOf(client);
  try {
    const { credentials } = await client.refreshAccessToken();
    if (!credentials.access_token) throw new FlowError('Refreshing the token failed: Google sent no access token. Try again.');
    return { client, accessToken: checkedAccessToken(credentials.access_token, stored.source), expiresAt: checkedExpiry(credentials.expiry_date, stored.source) };
  } catch (error) {
    if (error instanceof FlowError) throw error;
    // The library throws a TypeError of its own when the body it got is not a JSON object.
    if (error instanceof TypeError) throw notJson('Refreshing the token', answer());
    throw refreshFailure(error, stored.source);
  }
}
