import { consentUrl } from '../core/consent.js';
import { webLoopbackRedirect, type LoopbackRedirect, type OAuthClient } from '../core/credentials.js';
import type { GoogleEndpoints } from '../core/endpoints.js';
import { FlowError, GmailTokenError } from '../core/errors.js';
import type { MintedToken } from '../core/output.js';
import { grantsEmail, missingScopes } from '../core/scopes.js';
import { exchangeCode, type CodeGrant } from './exchange.js';
import { loadGoogleAuth, type HttpPolicy } from './google.js';
import { accountEmail } from './account.js';
import { startLoopbackServer, type Consent } from './loopback.js';
import { createPkce, createState } from './pkce.js';

export interface MintRequest {
  client: OAuthClient;
  clientSource: string;
  scopes: string[];
  endpoints: GoogleEndpoints;
  port: number;
  loginHint?: string;
  timeoutSeconds: number;
  openBrowser: boolean;
}

/** The side effects of a mint, passed in so tests can drive the flow without patching. */
export interface MintEffects {
  /** Launch the browser on the consent URL. */
  openUrl(url: string): Promise<void>;
  /** Show a line to the person (stderr). */
  tell(line: string): void;
  /** Aborted on Ctrl-C, with the error to end with. */
  signal: AbortSignal;
  now(): Date;
  http?: HttpPolicy;
}

function redirectFor(request: MintRequest): LoopbackRedirect {
  if (request.client.type === 'web') return webLoopbackRedirect(request.client, request.clientSource);
  return { hostname: '127.0.0.1', port: request.port, path: '/oauth2callback' };
}

function consentError(consent: Extract<Consent, { kind: 'error' }>): FlowError {
  if (consent.error === 'access_denied') {
    return new FlowError('Consent was declined in the browser (access_denied); nothing was written. Run again and choose Allow.');
  }
  const said = consent.description ? ` (${consent.description.slice(0, 200)})` : '';
  return new FlowError(`Google ended consent with ${consent.error.slice(0, 100)}${said}; nothing was written.`);
}

function timedOut(reason: unknown, seconds: number): unknown {
  if (reason instanceof GmailTokenError) return reason;
  return new FlowError(
    `No consent arrived within ${seconds} seconds; nothing was written. Run again (--timeout to wait longer), or use --manual when the browser cannot reach this machine.`,
  );
}

/** SPEC flow steps 2 to 5: PKCE, state, loopback server, consent URL, the browser's answer. */
async function obtainConsent(request: MintRequest, effects: MintEffects) {
  const pkce = createPkce();
  const state = createState();
  const server = await startLoopbackServer({ ...redirectFor(request), state });
  try {
    const url = consentUrl(request.endpoints.consent, {
      clientId: request.client.clientId,
      redirectUri: server.redirectUri,
      scopes: request.scopes,
      state,
      codeChallenge: pkce.challenge,
      loginHint: request.loginHint,
    });
    effects.tell('Open this URL in a browser to give consent:');
    effects.tell(url);
    void loadGoogleAuth().catch(() => undefined);
    if (request.openBrowser) await effects.openUrl(url);
    const signal = AbortSignal.any([effects.signal, AbortSignal.timeout(request.timeoutSeconds * 1000)]);
    const consent = await server.waitForCallback(signal).catch((reason: unknown) => {
      throw timedOut(reason, request.timeoutSeconds);
    });
    if (consent.kind === 'error') throw consentError(consent);
    return { code: consent.code, verifier: pkce.verifier, redirectUri: server.redirectUri };
  } finally {
    await server.close();
  }
}

function checkGrant(grant: CodeGrant, requested: readonly string[]): string {
  const missing = missingScopes(requested, grant.scopes);
  if (missing.length > 0) {
    throw new FlowError(
      `Consent did not grant ${missing.join(', ')} (a box was left unticked); nothing was written. Run again and keep every requested permission ticked.`,
    );
  }
  if (!grant.refreshToken) {
    throw new FlowError(
      'Google returned no refresh token, so nothing was written. Remove this app at https://myaccount.google.com/permissions and run again.',
    );
  }
  return grant.refreshToken;
}

/** Rejects with the signal's reason as soon as Ctrl-C arrives, even mid-request. */
function interruptible<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    work.then(resolve, reject);
  });
}

/** The whole consent flow; returns the token for the caller to write. */
export async function mintToken(request: MintRequest, effects: MintEffects): Promise<MintedToken> {
  const consent = await obtainConsent(request, effects);
  const { clientId, clientSecret } = request.client;
  const grant = await interruptible(
    exchangeCode({ clientId, clientSecret }, request.endpoints, {
      code: consent.code,
      codeVerifier: consent.verifier,
      redirectUri: consent.redirectUri,
      now: effects.now,
      http: effects.http,
    }),
    effects.signal,
  );
  const refreshToken = checkGrant(grant, request.scopes);
  const account = grantsEmail(grant.scopes)
    ? await interruptible(accountEmail({ clientId, clientSecret }, request.endpoints, grant, effects.http), effects.signal)
    : '';
  const refreshTokenExpiry =
    grant.refreshTokenExpiresIn === undefined ? undefined : new Date(effects.now().getTime() + grant.refreshTokenExpiresIn * 1000);
  return {
    clientId,
    clientSecret,
    refreshToken,
    accessToken: grant.accessToken,
    tokenUri: request.endpoints.token,
    scopes: grant.scopes,
    expiry: grant.expiresAt,
    account,
    refreshTokenExpiry,
  };
}
