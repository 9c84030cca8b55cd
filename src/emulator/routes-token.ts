import { STATUS_CODES } from 'node:http';
import type { Call, Context, Handler } from './context.js';
import { ACCESS_TTL_SECONDS, type Grant } from './grants.js';
import { Rejection, basicCredentials, json, oauthError, type Reply } from './http.js';
import { CODE_PREFIX, idToken, pkceChallenge, sameSecret } from './tokens.js';
import type { EmulatorClient, TokenFault } from './types.js';

/** Counts per fault object, so assigning a fresh fault starts a fresh count. */
const faultUses = new WeakMap<TokenFault, number>();

const FAULT_ERRORS: Record<number, string> = { 429: 'rate_limit_exceeded', 503: 'temporarily_unavailable' };
const OAUTH_DEFAULTS: Record<string, { status: number; description: string }> = {
  invalid_client: { status: 401, description: 'Unauthorized' },
  invalid_grant: { status: 400, description: 'Bad Request' },
  // 401 "Unauthorized", as baptisteArno/typebot.io#580 and prasmussen/gdrive#375 quote it.
  unauthorized_client: { status: 401, description: 'Unauthorized' },
  // The description verbatim from oauthlib/oauthlib#707; the status is a guess (Google's page says "Error 400").
  admin_policy_enforced: {
    status: 400,
    description: 'Access to your account data is restricted by policies within your organization. Please contact administrator for more information.',
  },
};

/**
 * A reauthentication policy ending the session: invalid_grant with error_subtype invalid_rapt and
 * this description (googleapis/google-auth-library-nodejs#1961, anthropics/blobfile#2).
 */
export const INVALID_RAPT_FAULT: TokenFault = {
  kind: 'oauth-error',
  error: 'invalid_grant',
  description: 'reauth related error (invalid_rapt)',
  subtype: 'invalid_rapt',
};

function reject(status: number, error: string, description: string): never {
  throw new Rejection(oauthError(status, error, description));
}

function faultReply(fault: TokenFault | null): Reply | null {
  switch (fault?.kind) {
    case undefined:
      return null;
    case 'status': {
      const used = faultUses.get(fault) ?? 0;
      if (fault.times !== undefined && used >= fault.times) return null;
      faultUses.set(fault, used + 1);
      const error = FAULT_ERRORS[fault.status] ?? (fault.status >= 500 ? 'internal_failure' : 'invalid_request');
      return oauthError(fault.status, error, STATUS_CODES[fault.status] ?? 'Error');
    }
    case 'non-json':
      // What a captive portal or a misconfigured proxy hands back instead of Google's JSON.
      return { kind: 'html', status: 200, html: '<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>\n' };
    case 'reset':
      return { kind: 'reset' };
    case 'hang':
      return { kind: 'hang' };
    case 'oauth-error': {
      const known = OAUTH_DEFAULTS[fault.error];
      const status = fault.status ?? known?.status ?? 400;
      const description = fault.description ?? known?.description ?? 'Bad Request';
      return oauthError(status, fault.error, description, fault.subtype);
    }
  }
}

/** Basic auth wins over the body, as RFC 6749 section 2.3.1 prefers it. */
function authenticate(ctx: Context, call: Call): EmulatorClient {
  const basic = basicCredentials(call.headers);
  const id = basic?.id ?? call.form['client_id'];
  const secret = basic?.secret ?? call.form['client_secret'];
  if (!id) reject(400, 'invalid_request', 'Could not determine client ID from request.');
  const client = ctx.store.client(id);
  if (!client) reject(401, 'invalid_client', 'The OAuth client was not found.');
  if (!secret) reject(400, 'invalid_request', 'client_secret is missing.');
  if (!sameSecret(secret, client.clientSecret)) reject(401, 'invalid_client', 'Unauthorized');
  return client;
}

function checkVerifier(challenge: string | undefined, verifier: string | undefined): void {
  if (challenge === undefined) return;
  if (!verifier) reject(400, 'invalid_grant', 'Missing code verifier.');
  if (pkceChallenge(verifier) !== challenge) reject(400, 'invalid_grant', 'Invalid code verifier.');
}

interface IssuedRefresh {
  token: string;
  expiresIn: number | undefined;
}

/** Field order follows Google's responses, for people comparing the two by eye. */
function tokenBody(grant: Grant, accessToken: string, refresh?: IssuedRefresh): Record<string, unknown> {
  const openid = grant.scopes.includes('openid');
  return {
    access_token: accessToken,
    expires_in: ACCESS_TTL_SECONDS,
    ...(refresh ? { refresh_token: refresh.token } : {}),
    scope: grant.scopes.join(' '),
    token_type: 'Bearer',
    ...(openid ? { id_token: idToken({ ...grant, lifetimeSeconds: ACCESS_TTL_SECONDS }) } : {}),
    ...(refresh?.expiresIn !== undefined ? { refresh_token_expires_in: refresh.expiresIn } : {}),
  };
}

/** A failed check leaves the code usable: only a successful exchange spends it. */
function exchangeCode(ctx: Context, client: EmulatorClient, form: Record<string, string>): Reply {
  const code = form['code'];
  if (!code) reject(400, 'invalid_request', 'Missing required parameter: code');
  const entry = ctx.store.findCode(code);
  if (!entry) reject(400, 'invalid_grant', code.startsWith(CODE_PREFIX) ? 'Bad Request' : 'Malformed auth code.');
  if (entry.used || entry.expiresAt <= Date.now() || entry.request.client.clientId !== client.clientId) {
    reject(400, 'invalid_grant', 'Bad Request');
  }
  const redirectUri = form['redirect_uri'];
  if (!redirectUri) reject(400, 'invalid_request', 'Missing parameter: redirect_uri');
  if (redirectUri !== entry.request.redirectUri) reject(400, 'redirect_uri_mismatch', 'Bad Request');
  checkVerifier(entry.request.codeChallenge, form['code_verifier']);
  const expiresIn = ctx.behaviour().refreshTokenExpiresIn;
  const grant = ctx.store.redeem(entry, expiresIn);
  const refreshed = grant.refreshToken === undefined ? undefined : { token: grant.refreshToken, expiresIn };
  return json(200, tokenBody(grant, ctx.store.mintAccess(grant), refreshed));
}

function refresh(ctx: Context, client: EmulatorClient, form: Record<string, string>): Reply {
  const token = form['refresh_token'];
  if (!token) reject(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const grant = ctx.store.liveRefresh(token);
  if (!grant) reject(400, 'invalid_grant', 'Token has been expired or revoked.');
  // A live token presented by another client: 401 unauthorized_client "Unauthorized"
  // (baptisteArno/typebot.io#580; prasmussen/gdrive#375 traced it to a mismatched client).
  if (grant.clientId !== client.clientId) reject(401, 'unauthorized_client', 'Unauthorized');
  return json(200, tokenBody(grant, ctx.store.mintAccess(grant)));
}

export const tokenPost: Handler = (ctx, call) => {
  const fault = faultReply(ctx.behaviour().tokenFault);
  if (fault) return fault;
  const grantType = call.form['grant_type'];
  if (!grantType) reject(400, 'invalid_request', 'Missing required parameter: grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    reject(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  }
  const client = authenticate(ctx, call);
  return grantType === 'authorization_code' ? exchangeCode(ctx, client, call.form) : refresh(ctx, client, call.form);
};
