import type { GoogleEndpoints } from '../core/endpoints.js';
import { FlowError } from '../core/errors.js';
import { ownEntry } from '../core/own-entry.js';
import { parseScopeString } from '../core/scopes.js';
import { hasBearerShape } from '../core/token-cache.js';
import { describeFailure, googleFailure, notJson, oauthClient, type ClientSecrets, type HttpPolicy } from './google.js';
import { ADMIN_POLICY_ADVICE } from './refresh.js';

/** What the token endpoint gave for the code, checked for shape. */
export interface CodeGrant {
  accessToken: string;
  refreshToken?: string;
  expiresAt: Date;
  scopes: string[];
  idToken?: string;
  refreshTokenExpiresIn?: number;
}

const EXCHANGE_ADVICE: Record<string, string> = {
  admin_policy_enforced: ADMIN_POLICY_ADVICE,
  invalid_client:
    'Google does not accept this client id and secret (the secret is wrong, or the client was deleted). Download credentials.json again from Cloud Console.',
  invalid_grant:
    'Google refused the code (it expired, was already used, or the PKCE verifier did not match). Run the command again and finish consent within a few minutes.',
  redirect_uri_mismatch:
    "Google refused the redirect URI. For a Web client, register this tool's loopback URI exactly in Cloud Console, or use a Desktop app client.",
  unauthorized_client: 'This client may not use the authorization-code flow. Use an OAuth client of type "Desktop app".',
};

function asNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined;
}

function checkedGrant(data: unknown, now: Date): CodeGrant {
  if (typeof data === 'string') {
    // A body the library could not parse as JSON comes back as a string: a proxy's or captive portal's page.
    throw notJson('Exchanging the code', data);
  }
  const body = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new FlowError('Exchanging the code failed: Google sent an answer without an access token. Try again.');
  }
  // Google's are RFC 6750 b64tokens; this one came from a tampered token_uri or a proxy, whose refresh token is no better.
  if (!hasBearerShape(body.access_token)) {
    throw new FlowError(
      'Exchanging the code failed: the token endpoint sent an access token with characters no bearer token has (RFC 6750), so nothing was written. Check the token_uri of the client.',
    );
  }
  // The library has already turned expires_in into an absolute expiry_date. One that gives no date
  // (not a number, or past a Date's range) counts as Google's usual hour: refusing it would drop
  // the refresh token just issued over the access token's lifetime, which the next refresh renews.
  const expiresAt = new Date(asNumber(body.expiry_date) ?? Number.NaN);
  if (Number.isNaN(expiresAt.getTime())) expiresAt.setTime(now.getTime() + 3599 * 1000);
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : undefined,
    expiresAt,
    scopes: parseScopeString(typeof body.scope === 'string' ? body.scope : undefined),
    idToken: typeof body.id_token === 'string' ? body.id_token : undefined,
    refreshTokenExpiresIn: asNumber(body.refresh_token_expires_in),
  };
}

/** SPEC flow step 6: the code and the PKCE verifier, sent with the same redirect URI. */
export async function exchangeCode(
  secrets: ClientSecrets,
  endpoints: GoogleEndpoints,
  request: { code: string; codeVerifier: string; redirectUri: string; now: () => Date; http?: HttpPolicy },
): Promise<CodeGrant> {
  const client = await oauthClient(secrets, endpoints, { redirectUri: request.redirectUri, http: request.http });
  let data: unknown;
  try {
    ({ tokens: data } = await client.getToken({
      code: request.code,
      codeVerifier: request.codeVerifier,
      redirect_uri: request.redirectUri,
    }));
  } catch (error) {
    const failure = googleFailure(error);
    const advice = failure.error ? ownEntry(EXCHANGE_ADVICE, failure.error) : undefined;
    throw advice ? new FlowError(`Exchanging the code failed (${failure.error}). ${advice}`) : describeFailure(failure, 'Exchanging the code');
  }
  return checkedGrant(data, request.now());
}
