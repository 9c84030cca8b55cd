import { GOOGLE_ISSUER } from '../core/consent.js';
import type { Context, Handler } from './context.js';
import type { ConsentRequest } from './grants.js';
import { Rejection, type Reply } from './http.js';
import { consentPage, errorPage } from './pages.js';
import { EMAIL_SCOPE, PROFILE_SCOPE, parseScopes } from './scopes.js';
import type { EmulatorClient } from './types.js';

/** The account that plays one missing from the app's Test users (`--login-hint` picks it). */
export const NOT_A_TEST_USER = 'not-a-test-user@example.com';

const INVALID_REQUEST = "Access blocked: This app's request is invalid";
const OOB_URIS = new Set(['urn:ietf:wg:oauth:2.0:oob', 'urn:ietf:wg:oauth:2.0:oob:auto', 'oob']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** RFC 7636 section 4.2: a base64url S256 digest is 43 characters; the alphabet allows up to 128. */
const CHALLENGE_SHAPE = /^[A-Za-z0-9._~-]{43,128}$/;

function blocked(status: number, error: string, description: string, details?: Record<string, string>): never {
  const headline = error === 'invalid_client' ? 'Access blocked: Authorization Error' : INVALID_REQUEST;
  throw new Rejection(errorPage(status, error, headline, description, details));
}

/** Desktop clients may use any port and path on a loopback host (RFC 8252 section 7.3). */
function isLoopback(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && !url.username && !url.password && !uri.includes('#');
  } catch {
    return false;
  }
}

function redirectAllowed(client: EmulatorClient, uri: string): boolean {
  return client.redirectUris.includes(uri) || (client.type === 'installed' && isLoopback(uri));
}

function checkClient(ctx: Context, params: URLSearchParams): EmulatorClient {
  const clientId = params.get('client_id');
  if (!clientId) blocked(400, 'invalid_request', 'Missing required parameter: client_id');
  const client = ctx.store.client(clientId);
  if (!client) blocked(401, 'invalid_client', 'The OAuth client was not found.', { client_id: clientId });
  return client;
}

function checkRedirect(client: EmulatorClient, params: URLSearchParams): string {
  const uri = params.get('redirect_uri');
  if (!uri) blocked(400, 'invalid_request', 'Missing required parameter: redirect_uri');
  if (OOB_URIS.has(uri)) {
    blocked(400, 'invalid_request', 'The out-of-band (OOB) flow has been blocked in order to keep users secure. Use a loopback redirect URI instead.', { redirect_uri: uri });
  }
  if (!redirectAllowed(client, uri)) {
    blocked(400, 'redirect_uri_mismatch', "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. Register this redirect URI for the OAuth client.", { redirect_uri: uri });
  }
  return uri;
}

function checkChallenge(params: URLSearchParams): string | undefined {
  const challenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method');
  if (challenge === undefined) {
    if (method !== null) blocked(400, 'invalid_request', 'Missing required parameter: code_challenge');
    return undefined;
  }
  // RFC 7636 makes a missing method mean "plain"; the emulator accepts only S256, as tools should send.
  if (method !== 'S256') blocked(400, 'invalid_request', `Unsupported code_challenge_method: ${method ?? 'plain'}. Use S256.`);
  if (!CHALLENGE_SHAPE.test(challenge)) blocked(400, 'invalid_request', 'Invalid code_challenge.');
  return challenge;
}

function checkScopes(params: URLSearchParams): string[] {
  const { scopes, invalid } = parseScopes(params.get('scope') ?? '');
  if (invalid.length > 0) blocked(400, 'invalid_scope', `Some requested scopes were invalid. {invalid=[${invalid.join(', ')}]}`);
  if (scopes.length === 0) blocked(400, 'invalid_request', 'Missing required parameter: scope');
  return scopes;
}

function checkRequest(ctx: Context, params: URLSearchParams): ConsentRequest {
  const client = checkClient(ctx, params);
  const redirectUri = checkRedirect(client, params);
  const responseType = params.get('response_type');
  if (!responseType) blocked(400, 'invalid_request', 'Required parameter is missing: response_type');
  if (responseType !== 'code') blocked(400, 'unsupported_response_type', `Invalid response_type: ${responseType}`);
  const scopes = checkScopes(params);
  const codeChallenge = checkChallenge(params);
  const accessType = params.get('access_type') ?? 'online';
  if (accessType !== 'online' && accessType !== 'offline') blocked(400, 'invalid_request', `Invalid access_type: ${accessType}`);
  const prompts = (params.get('prompt') ?? '').split(/\s+/);
  const account = params.get('login_hint')?.trim() || ctx.behaviour().account;
  const state = params.get('state') ?? undefined;
  return { client, redirectUri, scopes, state, codeChallenge, offline: accessType === 'offline', forceConsent: prompts.includes('consent'), account };
}

/**
 * Every value comes form-encoded: `+` for spaces, `%3A` and `%2F`, in `iss` and `scope`
 * (openiddict/openiddict-core#2428) and in the code too, which arrives as `code=4%2F0A…`
 * (nilbuild/developer-roadmap#9802, OAI/OpenAPI-Specification#4347).
 */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

function redirectTo(ctx: Context, request: ConsentRequest, params: Array<[string, string]>): Reply {
  // Google names itself as `iss` right after `state` (openiddict-core#2428, developer-roadmap#9802).
  // On error redirects it is a guess: RFC 9207 asks for it there, but no real one quoted shows it.
  const iss: [string, string] = ['iss', ctx.behaviour().issuer ?? GOOGLE_ISSUER];
  const all: Array<[string, string]> = request.state === undefined ? [iss, ...params] : [['state', request.state], iss, ...params];
  const query = all.map(([key, value]) => `${key}=${formEncode(value)}`).join('&');
  const separator = request.redirectUri.includes('?') ? '&' : '?';
  return { kind: 'redirect', location: `${request.redirectUri}${separator}${query}` };
}

/**
 * The redirect's `scope` lists `email` and `profile` by their short names too, next to their URLs
 * (dnplus/streamlit-oauth#40). Which account is Workspace, the emulator cannot know: an address
 * outside the consumer domains below is treated as one, and gets `hd` (MomenSherif/react-oauth#77).
 */
function redirectScope(granted: readonly string[]): string {
  const short = [...(granted.includes(EMAIL_SCOPE) ? ['email'] : []), ...(granted.includes(PROFILE_SCOPE) ? ['profile'] : [])];
  return [...short, ...granted].join(' ');
}

const CONSUMER_DOMAINS = new Set(['gmail.com', 'googlemail.com', 'example.com']);

function hostedDomain(account: string): [string, string][] {
  const domain = account.slice(account.lastIndexOf('@') + 1).toLowerCase();
  return account.includes('@') && !CONSUMER_DOMAINS.has(domain) ? [['hd', domain]] : [];
}

/** Unticking every scope is a refusal, as on Google's granular consent screen. */
export function approve(ctx: Context, request: ConsentRequest, granted: string[]): Reply {
  if (granted.length === 0) return redirectTo(ctx, request, [['error', 'access_denied']]);
  const code = ctx.store.issueCode(request, granted);
  return redirectTo(ctx, request, [
    ['code', code],
    ['scope', redirectScope(granted)],
    ['authuser', '0'],
    ...hostedDomain(request.account),
    ['prompt', 'consent'],
  ]);
}

/**
 * An account that is not a test user of an app in Testing gets Google's own error page and is
 * never sent back to the app (levz0r/gmail-tester#79). The 403 status is a guess: the reports
 * show the page, not its status.
 */
function notATestUser(request: ConsentRequest): Reply {
  return errorPage(
    403,
    'access_denied',
    `Access blocked: ${request.client.clientId} has not completed the Google verification process`,
    `${request.account} cannot use this app: it is being tested and can only be accessed by developer-approved testers. If you think you should have access, contact the developer.`,
  );
}

function ticked(request: ConsentRequest, pick: ((requested: string[]) => string[]) | undefined): string[] {
  if (!pick) return request.scopes;
  const chosen = parseScopes(pick([...request.scopes]).join(' ')).scopes;
  return request.scopes.filter((scope) => chosen.includes(scope));
}

export const consentGet: Handler = (ctx, call) => {
  const request = checkRequest(ctx, new URLSearchParams(call.query));
  const behaviour = ctx.behaviour();
  if (request.account.toLowerCase() === NOT_A_TEST_USER) return notATestUser(request);
  if (behaviour.consent === 'deny') return redirectTo(ctx, request, [['error', 'access_denied']]);
  if (behaviour.consent === 'approve') return approve(ctx, request, ticked(request, behaviour.grantScopes));
  const requestId = ctx.store.holdConsent(request);
  const { client, account, scopes, redirectUri } = request;
  return consentPage({ requestId, clientId: client.clientId, account, scopes, redirectUri });
};

export const decisionPost: Handler = (ctx, call) => {
  const request = ctx.store.takeConsent(call.form['request'] ?? '');
  if (!request) blocked(400, 'invalid_request', 'This consent request has expired or was already answered. Start again from the app.');
  if (call.form['decision'] !== 'allow') return redirectTo(ctx, request, [['error', 'access_denied']]);
  const kept = call.formParams.getAll('scope');
  return approve(ctx, request, request.scopes.filter((scope) => kept.includes(scope)));
};
