import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/core/errors.js';
import { exchangeCode, type CodeGrant } from '../../src/oauth/exchange.js';
import { clientOf, consent as consentAt, exchange as exchangeAt, HTTP, NOW, PATIENT, REDIRECT, SEND, useStandInGoogle } from '../helpers/grant.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { rejectionOf } from '../helpers/usage.js';

/**
 * The code exchange (src/oauth/exchange.ts), in this process for `npm run mutation`: against the
 * emulator, and for answers it never gives (no access token, odd expiry values) a stand-in Google
 * on 127.0.0.1.
 */
const h = useEmulatorHarness();

const EMAIL = 'https://www.googleapis.com/auth/userinfo.email';

const secrets = () => clientOf(h.emulator);
const consent = (scope: string, offline?: boolean) => consentAt(h.emulator, scope, offline);
/** Patient by default: the emulator's first answer can take over 300 ms on a busy machine; HTTP where a hang is the point. */
const exchange = (given: { code: string; verifier: string }, overrides?: { clientSecret?: string; redirectUri?: string }, http = PATIENT) =>
  exchangeAt(h.emulator, given, overrides, http);
const standIn = useStandInGoogle();

/** The FlowError's message (exit 1), checked to quote none of the secrets in play. */
async function failure(promise: Promise<unknown>, secretsInPlay: string[]): Promise<string> {
  const { message } = await rejectionOf(promise, FlowError);
  for (const secret of [h.emulator.defaultClient.clientSecret, ...secretsInPlay]) expect(message).not.toContain(secret);
  return message;
}

describe('exchangeCode against the emulator', () => {
  it('sends the code with its PKCE verifier and the same redirect URI, and returns the checked grant', async () => {
    h.emulator.behaviour.refreshTokenExpiresIn = 604_799;
    const given = await consent(`${SEND} openid email`);
    const before = Date.now();
    const grant = await exchange(given);
    const after = Date.now();
    const sent = h.emulator.received.filter((request) => request.path === '/token');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.form).toMatchObject({ grant_type: 'authorization_code', code: given.code, code_verifier: given.verifier, redirect_uri: REDIRECT });
    expect(grant.accessToken).toMatch(/^ya29\.emu-/);
    expect(grant.refreshToken).toMatch(/^1\/\/emu-/);
    expect(grant.scopes).toEqual([SEND, 'openid', EMAIL]);
    expect(grant.idToken?.split('.')).toHaveLength(3);
    expect(grant.refreshTokenExpiresIn).toBe(604_799);
    // From Google's expires_in (3599 s), counted from when the answer came, not from `now`.
    expect(grant.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 3599_000);
    expect(grant.expiresAt.getTime()).toBeLessThanOrEqual(after + 3599_000);
  });

  it('without offline access there is no refresh token, and without openid no id_token', async () => {
    const grant = await exchange(await consent(SEND, false));
    expect(grant).toMatchObject({ scopes: [SEND], refreshToken: undefined, idToken: undefined, refreshTokenExpiresIn: undefined });
  });

  it('a verifier that does not match: Google refused the code, run again', async () => {
    const given = await consent(SEND);
    const message = await failure(exchange({ ...given, verifier: randomBytes(32).toString('base64url') }), [given.code, given.verifier]);
    expect(message).toBe(
      'Exchanging the code failed (invalid_grant). Google refused the code (it expired, was already used, or the PKCE verifier did not match). Run the command again and finish consent within a few minutes.',
    );
  });

  it('another redirect URI than the consent used: the redirect URI advice', async () => {
    const given = await consent(SEND);
    expect(await failure(exchange(given, { redirectUri: 'http://127.0.0.1:2/oauth2callback' }), [given.code, given.verifier])).toBe(
      "Exchanging the code failed (redirect_uri_mismatch). Google refused the redirect URI. For a Web client, register this tool's loopback URI exactly in Cloud Console, or use a Desktop app client.",
    );
  });

  it('a wrong client secret: download credentials.json again, and the wrong secret is not shown', async () => {
    const given = await consent(SEND);
    expect(await failure(exchange(given, { clientSecret: 'GOCSPX-wrong-secret' }), ['GOCSPX-wrong-secret', given.code, given.verifier])).toBe(
      'Exchanging the code failed (invalid_client). Google does not accept this client id and secret (the secret is wrong, or the client was deleted). Download credentials.json again from Cloud Console.',
    );
  });

  it.each([
    ['admin_policy_enforced', 'A Google Workspace admin policy blocks this app or one of its scopes for this account. Ask the Workspace admin to trust the app (Admin console: Security, API controls), or use another account.'],
    ['unauthorized_client', 'This client may not use the authorization-code flow. Use an OAuth client of type "Desktop app".'],
  ])('Google answering %s gets its own advice', async (error, advice) => {
    const given = await consent(SEND);
    h.emulator.behaviour.tokenFault = { kind: 'oauth-error', error };
    expect(await failure(exchange(given), [given.code, given.verifier])).toBe(`Exchanging the code failed (${error}). ${advice}`);
  });

  it.each([
    [{ kind: 'oauth-error', error: 'invalid_request', description: 'Missing code' } as const, 'Exchanging the code failed: Google answered invalid_request (Missing code).'],
    // An error name that is also an object's inherited key (a proxy's, never Google's) is no advice of ours.
    [{ kind: 'oauth-error', error: 'constructor', description: 'odd' } as const, 'Exchanging the code failed: Google answered constructor (odd).'],
    [{ kind: 'status', status: 503 } as const, 'Exchanging the code failed: Google had a server error (HTTP 503, temporarily_unavailable). Try again in a minute.'],
    [{ kind: 'reset' } as const, 'Exchanging the code failed: could not reach Google (ECONNRESET). Check your network or proxy and try again.'],
    [{ kind: 'hang' } as const, 'Exchanging the code failed: Google did not answer in time. Check your network and try again.'],
    [
      { kind: 'non-json' } as const,
      "Exchanging the code failed: the answer was a web page, not Google's JSON, so a proxy or captive portal is in the way. Check your network or proxy settings and try again.",
    ],
  ])('other failures get the general one-line reason (%o)', async (fault, message) => {
    const given = await consent(SEND);
    h.emulator.behaviour.tokenFault = fault;
    expect(await failure(exchange(given, {}, HTTP), [given.code, given.verifier])).toBe(message);
  });
});

describe('checkedGrant, on answers the emulator never gives', () => {
  /** A token endpoint that answers 200 with this JSON, as a proxy rewriting Google's answer might. */
  const answering = async (body: unknown): Promise<CodeGrant> =>
    exchangeCode(secrets(), await standIn(body), { code: '4/0code', codeVerifier: 'verifier', redirectUri: REDIRECT, now: () => NOW, http: HTTP });

  it.each([{}, { access_token: '' }, { access_token: 42, refresh_token: '1//r' }, null, [], 42])('refuses an answer without an access token (%j)', async (body) => {
    expect(await failure(answering(body), ['1//r'])).toBe('Exchanging the code failed: Google sent an answer without an access token. Try again.');
  });

  it('reads an expiry and a refresh-token lifetime sent as numbers in strings', async () => {
    const grant = await answering({ access_token: 'ya29.a', expiry_date: '1893456000000', refresh_token_expires_in: '604799', scope: `${SEND}  openid` });
    expect(grant).toEqual({ accessToken: 'ya29.a', refreshToken: undefined, expiresAt: new Date(1893456000000), scopes: [SEND, 'openid'], idToken: undefined, refreshTokenExpiresIn: 604799 });
  });

  it('an expires_in in a string still counts from the answer', async () => {
    const before = Date.now();
    const grant = await answering({ access_token: 'ya29.a', expires_in: '120' });
    expect(grant.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 120_000);
    expect(grant.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 120_000);
  });

  it.each([
    { expiry_date: 0, refresh_token_expires_in: 0 },
    { expiry_date: -5, refresh_token_expires_in: -5 },
    { expiry_date: 'Infinity', refresh_token_expires_in: 'Infinity' },
    { expiry_date: 'soon', refresh_token_expires_in: 'soon' },
    { expiry_date: true, refresh_token_expires_in: true },
  ])('an expiry that is no positive number counts as an hour from now; such a lifetime as unknown (%j)', async (odd) => {
    const grant = await answering({ access_token: 'ya29.a', ...odd });
    expect(grant.expiresAt).toEqual(new Date(NOW.getTime() + 3599_000));
    expect(grant.refreshTokenExpiresIn).toBeUndefined();
  });

  it('an empty refresh token is none; fields of the wrong type are dropped', async () => {
    const grant = await answering({ access_token: 'ya29.a', expiry_date: 1893456000000, refresh_token: '', scope: 7, id_token: 7 });
    expect(grant).toEqual({ accessToken: 'ya29.a', refreshToken: undefined, expiresAt: new Date(1893456000000), scopes: [], idToken: undefined, refreshTokenExpiresIn: undefined });
    expect((await answering({ access_token: 'ya29.a', refresh_token: 7, id_token: 'h.p.s' })).refreshToken).toBeUndefined();
    expect((await answering({ access_token: 'ya29.a', refresh_token: '1//r', id_token: 'h.p.s' })).idToken).toBe('h.p.s');
  });
});
