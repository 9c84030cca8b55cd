import { createHash, randomBytes } from 'node:crypto';
import { CodeChallengeMethod, OAuth2Client, type GenerateAuthUrlOpts } from 'google-auth-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator, type EmulatorClient } from '../../src/emulator/index.js';
import { until } from '../helpers/async.js';

const SEND = 'https://www.googleapis.com/auth/gmail.send';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const EMAIL = 'https://www.googleapis.com/auth/userinfo.email';
const LOOPBACK = 'http://127.0.0.1:47123/oauth2callback';

let emu: Emulator;
let logLines: string[];

beforeEach(async () => {
  logLines = [];
  emu = await startEmulator({ log: (line) => logLines.push(line) });
});
afterEach(async () => {
  vi.useRealTimers();
  await emu.close();
});

function oauthClient(client: EmulatorClient = emu.defaultClient, redirectUri = LOOPBACK): OAuth2Client {
  return new OAuth2Client({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUri,
    endpoints: {
      oauth2TokenUrl: `${emu.origin}/token`,
      oauth2RevokeUrl: `${emu.origin}/revoke`,
      tokenInfoUrl: `${emu.origin}/tokeninfo`,
      oauth2AuthBaseUrl: `${emu.origin}/o/oauth2/v2/auth`,
    },
  });
}

interface Consent {
  client: OAuth2Client;
  url: string;
  state: string;
  codeVerifier: string;
}

async function consentUrl(scope: string[], extra: GenerateAuthUrlOpts = { prompt: 'consent' }): Promise<Consent> {
  const client = oauthClient();
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const state = randomBytes(16).toString('hex');
  const url = client.generateAuthUrl({
    access_type: 'offline',
    scope,
    state,
    code_challenge: codeChallenge,
    code_challenge_method: CodeChallengeMethod.S256,
    ...extra,
  });
  return { client, url, state, codeVerifier };
}

/** The browser's side: the consent endpoint must answer with a real redirect. */
async function redirectOf(url: string): Promise<URL> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

async function mint(scope: string[] = [SEND], extra?: GenerateAuthUrlOpts) {
  const consent = await consentUrl(scope, extra);
  const location = await redirectOf(consent.url);
  const code = location.searchParams.get('code') ?? '';
  const { tokens } = await consent.client.getToken({ code, codeVerifier: consent.codeVerifier });
  return { ...consent, location, code, tokens };
}

/** What gaxios put on the error: the HTTP status and Google's JSON body. */
async function failure(promise: Promise<unknown>): Promise<{ status: number; data: Record<string, unknown> }> {
  const err: unknown = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  const response = (err as { response?: { status: number; data: Record<string, unknown> } }).response;
  if (!response) throw err;
  return response;
}

/** A refresh through google-auth-library's public surface, as the CLI does it. */
function refreshWith(refreshToken: string | null | undefined, client: OAuth2Client = oauthClient()) {
  client.setCredentials({ refresh_token: refreshToken ?? null });
  return client.getAccessToken();
}

function postForm(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emu.origin}${path}`, { method: 'POST', body: new URLSearchParams(form), headers });
}

function send(accessToken: string | null | undefined, payload: unknown): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (accessToken) headers['authorization'] = `Bearer ${accessToken}`;
  return fetch(`${emu.origin}/gmail/v1/users/me/messages/send`, { method: 'POST', headers, body: JSON.stringify(payload) });
}

const rfc2822 = (to: string): string => Buffer.from(`To: ${to}\r\nSubject: hi\r\n\r\nHello.\r\n`).toString('base64url');

describe('authorization code flow', () => {
  it('mints with PKCE, refreshes, reports token info and revokes the whole grant', async () => {
    const { location, state, tokens, client } = await mint([SEND, 'email', 'openid']);
    expect(`${location.origin}${location.pathname}`).toBe(LOOPBACK);
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('scope')).toBe(`email ${SEND} ${EMAIL} openid`);
    expect(location.searchParams.get('authuser')).toBe('0');
    // As Google sends it (nilbuild/developer-roadmap#9802): iss right after state, the code's '/' as %2F.
    expect(location.search).toMatch(/^\?state=[^&]+&iss=https%3A%2F%2Faccounts\.google\.com&code=4%2F0emu-[^&/]+&scope=email\+/);
    expect(tokens.refresh_token).toMatch(/^1\/\/emu-/);
    expect(tokens.access_token).toMatch(/^ya29\.emu-/);
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toBe(`${SEND} ${EMAIL} openid`);
    const claims = JSON.parse(Buffer.from(tokens.id_token?.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ email: 'tester@example.com', aud: emu.defaultClient.clientId });

    client.setCredentials({ refresh_token: tokens.refresh_token });
    const fresh = (await client.getAccessToken()).token ?? '';
    expect(fresh).not.toBe(tokens.access_token);

    const info = await client.getTokenInfo(fresh);
    expect(info).toMatchObject({ aud: emu.defaultClient.clientId, email: 'tester@example.com', access_type: 'offline' });
    expect(info.scopes).toEqual([SEND, EMAIL, 'openid']);
    expect(info.expiry_date).toBeGreaterThan(Date.now() + 3500_000);

    expect((await client.revokeToken(tokens.refresh_token ?? '')).status).toBe(200);
    expect((await failure(client.getTokenInfo(fresh))).data).toEqual({ error: 'invalid_token', error_description: 'Invalid Value' });
    const refused = await failure(refreshWith(tokens.refresh_token));
    expect(refused).toMatchObject({ status: 400, data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } });
  });

  it('rejects a code used twice', async () => {
    const { client, code, codeVerifier } = await mint();
    const again = await failure(client.getToken({ code, codeVerifier }));
    expect(again).toMatchObject({ status: 400, data: { error: 'invalid_grant' } });
  });

  it('rejects a wrong or missing PKCE verifier, and a garbage code', async () => {
    const consent = await consentUrl([SEND]);
    const code = (await redirectOf(consent.url)).searchParams.get('code') ?? '';
    const wrong = await failure(consent.client.getToken({ code, codeVerifier: 'x'.repeat(43) }));
    expect(wrong).toMatchObject({ status: 400, data: { error: 'invalid_grant', error_description: 'Invalid code verifier.' } });
    const missing = await failure(consent.client.getToken({ code }));
    expect(missing.data).toMatchObject({ error: 'invalid_grant', error_description: 'Missing code verifier.' });
    const garbage = await failure(consent.client.getToken({ code: 'nonsense', codeVerifier: consent.codeVerifier }));
    expect(garbage.data).toMatchObject({ error: 'invalid_grant', error_description: 'Malformed auth code.' });
  });

  it('rejects a wrong client secret and a redirect URI that differs from the consent one', async () => {
    const consent = await consentUrl([SEND]);
    const code = (await redirectOf(consent.url)).searchParams.get('code') ?? '';
    const impostor = oauthClient({ ...emu.defaultClient, clientSecret: 'GOCSPX-wrong' });
    const unauthorized = await failure(impostor.getToken({ code, codeVerifier: consent.codeVerifier }));
    expect(unauthorized).toEqual(expect.objectContaining({ status: 401, data: { error: 'invalid_client', error_description: 'Unauthorized' } }));
    const moved = await failure(consent.client.getToken({ code, codeVerifier: consent.codeVerifier, redirect_uri: 'http://127.0.0.1:1/other' }));
    expect(moved).toMatchObject({ status: 400, data: { error: 'redirect_uri_mismatch' } });
  });

  it('accepts client authentication by HTTP Basic', async () => {
    const consent = await consentUrl([SEND]);
    const code = (await redirectOf(consent.url)).searchParams.get('code') ?? '';
    const { clientId, clientSecret } = emu.defaultClient;
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const form = { grant_type: 'authorization_code', code, redirect_uri: LOOPBACK, code_verifier: consent.codeVerifier };
    const res = await postForm('/token', form, { authorization: basic });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('gives a refresh token again only with prompt=consent or after revocation', async () => {
    expect((await mint([SEND])).tokens.refresh_token).toBeTruthy();
    expect((await mint([SEND], {})).tokens.refresh_token).toBeUndefined();
    expect((await mint([SEND], { prompt: 'consent' })).tokens.refresh_token).toBeTruthy();
    emu.revokeAll();
    expect((await mint([SEND], {})).tokens.refresh_token).toBeTruthy();
    expect((await mint([SEND], { access_type: 'online' })).tokens.refresh_token).toBeUndefined();
  });

  it('reports refresh_token_expires_in for a Testing-status app', async () => {
    emu.behaviour.refreshTokenExpiresIn = 604_800;
    const { tokens } = await mint();
    expect((tokens as Record<string, unknown>)['refresh_token_expires_in']).toBe(604_800);
  });

  it('lets codes lapse after 10 minutes and Testing-status refresh tokens after their lifetime', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    emu.behaviour.refreshTokenExpiresIn = 3600;
    const { tokens } = await mint();
    const consent = await consentUrl([SEND]);
    const code = (await redirectOf(consent.url)).searchParams.get('code') ?? '';
    vi.setSystemTime(Date.now() + 11 * 60_000);
    expect((await failure(consent.client.getToken({ code, codeVerifier: consent.codeVerifier }))).data['error']).toBe('invalid_grant');
    expect((await refreshWith(tokens.refresh_token)).token).toBeTruthy();
    vi.setSystemTime(Date.now() + 3600_000);
    expect((await failure(refreshWith(tokens.refresh_token))).data['error']).toBe('invalid_grant');
  });

  it('answers a refresh token from another client with unauthorized_client', async () => {
    const { tokens } = await mint();
    const other: EmulatorClient = { clientId: 'other.apps.googleusercontent.com', clientSecret: 'GOCSPX-other', type: 'installed', redirectUris: [] };
    emu.addClient(other);
    const refused = await failure(refreshWith(tokens.refresh_token, oauthClient(other)));
    expect(refused).toMatchObject({ status: 401, data: { error: 'unauthorized_client' } });
  });
});

describe('consent screen', () => {
  it('shows redirect_uri_mismatch for an unregistered web redirect, and accepts the registered one', async () => {
    const web: EmulatorClient = { clientId: 'web.apps.googleusercontent.com', clientSecret: 'GOCSPX-web', type: 'web', redirectUris: ['http://127.0.0.1:8765/cb'] };
    emu.addClient(web);
    const base = `${emu.origin}/o/oauth2/v2/auth?response_type=code&client_id=${web.clientId}&scope=${encodeURIComponent(SEND)}`;
    const res = await fetch(`${base}&redirect_uri=${encodeURIComponent('http://127.0.0.1:9999/cb')}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain('Error 400: redirect_uri_mismatch');
    expect(page).not.toContain(web.clientSecret);
    const ok = await redirectOf(`${base}&redirect_uri=${encodeURIComponent('http://127.0.0.1:8765/cb')}`);
    expect(ok.searchParams.get('code')).toBeTruthy();
  });

  it('shows invalid_client for an unknown client and blocks the out-of-band redirect', async () => {
    const unknown = await fetch(`${emu.origin}/o/oauth2/auth?response_type=code&client_id=nobody&redirect_uri=${LOOPBACK}&scope=openid`, { redirect: 'manual' });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('Error 401: invalid_client');
    const oob = (await consentUrl([SEND], { redirect_uri: 'urn:ietf:wg:oauth:2.0:oob' })).url;
    const blocked = await fetch(oob, { redirect: 'manual' });
    expect(blocked.status).toBe(400);
    expect(await blocked.text()).toMatch(/out-of-band \(OOB\) flow has been blocked/);
  });

  it('refuses plain PKCE and scopes that are not Google scopes', async () => {
    const plain = `${emu.origin}/o/oauth2/v2/auth?response_type=code&client_id=${emu.defaultClient.clientId}&redirect_uri=${LOOPBACK}&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=plain`;
    expect((await fetch(plain, { redirect: 'manual' })).status).toBe(400);
    const bad = await fetch((await consentUrl(['gmail.send'])).url, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Error 400: invalid_scope');
  });

  it('redirects with access_denied and the state when the person declines', async () => {
    emu.behaviour.consent = 'deny';
    const { url, state } = await consentUrl([SEND]);
    const location = await redirectOf(url);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: 'access_denied', state, iss: 'https://accounts.google.com' });
  });

  it('grants only the scopes left ticked (granular consent)', async () => {
    emu.behaviour.grantScopes = (requested) => requested.filter((scope) => scope !== READONLY);
    const { location, tokens } = await mint([SEND, READONLY]);
    expect(location.searchParams.get('scope')).toBe(SEND);
    expect(tokens.scope).toBe(SEND);
  });

  it('lets login_hint choose the account', async () => {
    const { tokens, client } = await mint([SEND, 'email'], { prompt: 'consent', login_hint: 'someone@example.org' });
    expect((await client.getTokenInfo(tokens.access_token ?? '')).email).toBe('someone@example.org');
  });

  it('serves a consent page whose form decides, with unticked scopes left out', async () => {
    emu.behaviour.consent = 'page';
    const consent = await consentUrl([SEND, READONLY]);
    const res = await fetch(consent.url, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:47123");
    const page = await res.text();
    expect(page).toContain('gmail-token emulator wants to access your Google Account');
    expect(page).toMatch(/<button[^>]*>Allow<\/button>/);
    expect(page).toMatch(/<button[^>]*>Deny<\/button>/);
    expect([...page.matchAll(/type="checkbox" name="scope" value="([^"]+)" checked/g)].map((m) => m[1])).toEqual([SEND, READONLY]);
    const requestId = /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';

    const form = new URLSearchParams({ request: requestId, scope: SEND, decision: 'allow' });
    const decision = await fetch(`${emu.origin}/o/oauth2/v2/auth/decision`, { method: 'POST', body: form, redirect: 'manual' });
    expect(decision.status).toBe(302);
    const location = new URL(decision.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe(consent.state);
    expect(location.searchParams.get('scope')).toBe(SEND);
    const { tokens } = await consent.client.getToken({ code: location.searchParams.get('code') ?? '', codeVerifier: consent.codeVerifier });
    expect(tokens.scope).toBe(SEND);

    const replay = await fetch(`${emu.origin}/o/oauth2/v2/auth/decision`, { method: 'POST', body: form, redirect: 'manual' });
    expect(replay.status).toBe(400);
  });
});

describe('revoke, tokeninfo and userinfo', () => {
  it('revokes once; a second revoke is invalid_token', async () => {
    const { tokens } = await mint();
    const first = await postForm('/revoke', { token: tokens.refresh_token ?? '' });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({});
    const second = await failure(oauthClient().revokeToken(tokens.refresh_token ?? ''));
    expect(second).toMatchObject({ status: 400, data: { error: 'invalid_token', error_description: 'Token expired or revoked' } });
    expect((await postForm('/revoke', {})).status).toBe(400);
  });

  it('revoking an access token ends its refresh token too', async () => {
    const { tokens } = await mint();
    expect((await oauthClient().revokeToken(tokens.access_token ?? '')).status).toBe(200);
    expect((await failure(refreshWith(tokens.refresh_token))).data['error']).toBe('invalid_grant');
  });

  it('answers userinfo by scope', async () => {
    const withEmail = (await mint([SEND, 'email'])).tokens.access_token ?? '';
    const sendOnly = (await mint([SEND])).tokens.access_token ?? '';
    const userinfo = (token: string) => fetch(`${emu.origin}/v1/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await userinfo(withEmail);
    expect(await ok.json()).toMatchObject({ email: 'tester@example.com', email_verified: true, sub: expect.stringMatching(/^\d{21}$/) });
    expect((await userinfo(sendOnly)).status).toBe(403);
    const bad = await userinfo('ya29.nope');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });
});

describe('Gmail send', () => {
  it('sends with gmail.send and lists the message', async () => {
    const token = (await mint([SEND])).tokens.access_token;
    const res = await send(token, { raw: rfc2822('friend@example.net') });
    expect(res.status).toBe(200);
    const sent = (await res.json()) as { id: string; threadId: string; labelIds: string[] };
    expect(sent.labelIds).toEqual(['SENT']);
    const listed = (await (await fetch(`${emu.origin}/emulator/v1/messages`)).json()) as Array<Record<string, string>>;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: sent.id, threadId: sent.threadId, account: 'tester@example.com' });
    expect(listed[0]?.['message']).toContain('To: friend@example.net');
  });

  it('answers 401, 403 and 400 like Gmail', async () => {
    const unauthenticated = await send('ya29.invalid', { raw: rfc2822('a@example.net') });
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    expect((await send(undefined, { raw: rfc2822('a@example.net') })).status).toBe(401);

    const readonly = (await mint([READONLY])).tokens.access_token;
    const forbidden = await send(readonly, { raw: rfc2822('a@example.net') });
    expect(await forbidden.json()).toMatchObject({
      error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED', errors: [{ reason: 'insufficientPermissions' }] },
    });

    const token = (await mint([SEND])).tokens.access_token;
    for (const payload of [{}, { raw: 'not base64!' }]) {
      const bad = await send(token, payload);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringMatching(/^Invalid value for ByteString/) } });
    }
    const noRecipient = await send(token, { raw: Buffer.from('no headers here').toString('base64url') });
    expect(await noRecipient.json()).toMatchObject({ error: { code: 400, message: 'Recipient address required', errors: [{ reason: 'invalidArgument' }] } });
    expect(emu.messages).toEqual([]);
  });
});

describe('token endpoint faults', () => {
  const bogusExchange = () => postForm('/token', { grant_type: 'refresh_token', refresh_token: '1//nope', client_id: emu.defaultClient.clientId, client_secret: emu.defaultClient.clientSecret });

  it('answers a status fault the given number of times, then normally', async () => {
    emu.behaviour.tokenFault = { kind: 'status', status: 503, times: 2 };
    expect((await bogusExchange()).status).toBe(503);
    expect((await bogusExchange()).status).toBe(503);
    const normal = await bogusExchange();
    expect(normal.status).toBe(400);
    expect(await normal.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers HTML, resets, or hangs until close', async () => {
    emu.behaviour.tokenFault = { kind: 'non-json' };
    const html = await bogusExchange();
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    emu.behaviour.tokenFault = { kind: 'reset' };
    await expect(bogusExchange()).rejects.toThrow();
    emu.behaviour.tokenFault = { kind: 'hang' };
    const seen = emu.received.length;
    const hanging = bogusExchange();
    // The request is recorded once it has arrived; until then there is nothing to hang.
    await until(() => emu.received.length > seen);
    // close() must not wait for the hanging answer: the test's own timeout catches a hang.
    await emu.close();
    await expect(hanging).rejects.toThrow();
  });

  it('answers an OAuth error fault through google-auth-library', async () => {
    emu.behaviour.tokenFault = { kind: 'oauth-error', error: 'invalid_client' };
    const consent = await consentUrl([SEND]);
    const code = (await redirectOf(consent.url)).searchParams.get('code') ?? '';
    const refused = await failure(consent.client.getToken({ code, codeVerifier: consent.codeVerifier }));
    expect(refused).toMatchObject({ status: 401, data: { error: 'invalid_client', error_description: 'Unauthorized' } });
  });
});

describe('housekeeping', () => {
  it('serves a credentials.json pointing at itself', async () => {
    const file = (await (await fetch(`${emu.origin}/emulator/v1/credentials.json`)).json()) as { installed: Record<string, unknown> };
    expect(file).toEqual(emu.credentialsFile());
    expect(file.installed).toMatchObject({ client_id: emu.defaultClient.clientId, token_uri: `${emu.origin}/token`, auth_uri: `${emu.origin}/o/oauth2/auth` });
  });

  it('answers 404, 405 and 413', async () => {
    expect((await fetch(`${emu.origin}/nowhere`)).status).toBe(404);
    const wrongMethod = await fetch(`${emu.origin}/token`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await postForm('/token', { pad: 'x'.repeat(70 * 1024) })).status).toBe(413);
  });

  it('records requests, and logs only method, path and status', async () => {
    const { tokens, code } = await mint([SEND]);
    expect(emu.received.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /o/oauth2/v2/auth', 'POST /token']);
    expect(emu.received[1]?.form).toMatchObject({ grant_type: 'authorization_code', code });
    // A line is logged when its answer has been sent, which can be just after the client has it.
    await until(() => logLines.length >= 2);
    expect(logLines).toEqual(['GET /o/oauth2/v2/auth 302', 'POST /token 200']);
    const secrets = [tokens.access_token, tokens.refresh_token, code, emu.defaultClient.clientSecret];
    for (const secret of secrets) expect(logLines.join('\n')).not.toContain(secret);
  });

  it('checks S256 exactly as RFC 7636 computes it', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const url = `${emu.origin}/o/oauth2/v2/auth?response_type=code&client_id=${emu.defaultClient.clientId}&redirect_uri=${encodeURIComponent(LOOPBACK)}&scope=${encodeURIComponent(SEND)}&code_challenge=${challenge}&code_challenge_method=S256`;
    const code = (await redirectOf(url)).searchParams.get('code') ?? '';
    const { clientId: client_id, clientSecret: client_secret } = emu.defaultClient;
    const res = await postForm('/token', { grant_type: 'authorization_code', code, redirect_uri: LOOPBACK, code_verifier: verifier, client_id, client_secret });
    expect(res.status).toBe(200);
    expect(await res.json()).not.toHaveProperty('refresh_token');
  });
});
