import { consentUrl, parsePasted } from '../core/consent.js';
import { webLoopbackRedirect, type LoopbackRedirect, type OAuthClient } from '../core/credentials.js';
import type { GoogleEndpoints } from '../core/endpoints.js';
import { FlowError } from '../core/errors.js';
import type { MintedToken } from '../core/output.js';
import { grantsEmail, missingScopes } from '../core/scopes.js';
import type { CodeGrant } from './exchange.js';
import type { HttpPolicy } from './google.js';
import { freeLoopbackPort, startLoopbackServer, type Consent } from './loopback.js';
import { createPkce, createState } from './pkce.js';
import { MINT_WAITING_ADVICE, interruptible, remindLater, waitAtMost, type WaitingAdvice } from './waiting.js';

export interface MintRequest {
  client: OAuthClient;
  clientSource: string;
  scopes: string[];
  endpoints: GoogleEndpoints;
  port: number;
  loginHint?: string;
  timeoutSeconds: number;
  openBrowser: boolean;
  /** --manual: no server the browser could reach; the person pastes the redirect back. */
  manual: boolean;
  /** Who may answer as `iss` on the redirect (RFC 9207); Google alone when not given. */
  issuers?: readonly string[];
  /** What to say while consent is slow or never comes; mint's own (Google's causes, --manual) when not given. */
  waitingAdvice?: WaitingAdvice;
}

/** What the person pasted, judged: the consent, or a problem to show before asking again. */
export type PasteJudge = (text: string) => { consent: Consent } | { problem: string };

/** The side effects of a mint, passed in so tests can drive the flow without patching. */
export interface MintEffects {
  /** Launch the browser on the consent URL. */
  openUrl(url: string): Promise<void>;
  /** Show a line to the person (stderr). */
  tell(line: string): void;
  /** --manual: ask for the redirected URL (or code) until `judge` accepts it. */
  readPasted(judge: PasteJudge, signal: AbortSignal): Promise<Consent>;
  /** Aborted on Ctrl-C, with the error to end with. */
  signal: AbortSignal;
  now(): Date;
  http?: HttpPolicy;
  /**
   * Runs `remind` once if consent has not come back after a while; returns how to cancel it.
   * Tests pass their own to skip the wait.
   */
  remindWhileWaiting?(remind: () => void): () => void;
}

/**
 * The code exchange and what follows it are needed only once consent came back: behind import(),
 * so mint's path to the consent URL is one file (issue 23).
 */
const afterConsent = () => import('./after-consent.js');

interface ConsentCode {
  code: string;
  verifier: string;
  redirectUri: string;
}

function redirectFor(request: MintRequest, effects: MintEffects): LoopbackRedirect {
  if (request.client.type === 'web') {
    const registered = webLoopbackRedirect(request.client, request.clientSource);
    if (request.port !== 0 && request.port !== registered.port) {
      effects.tell(`--port ${request.port} is ignored: the Web client's registered redirect URI fixes port ${registered.port}.`);
    }
    return registered;
  }
  return { hostname: '127.0.0.1', port: request.port, path: '/oauth2callback' };
}

function consentError(consent: Extract<Consent, { kind: 'error' }>): FlowError {
  if (consent.error === 'access_denied') {
    return new FlowError('Consent was declined in the browser (access_denied); nothing was written. Run again and choose Allow.');
  }
  const said = consent.description ? ` (${consent.description.slice(0, 200)})` : '';
  return new FlowError(`Google ended consent with ${consent.error.slice(0, 100)}${said}; nothing was written.`);
}

/** Shows the consent URL (SPEC flow step 4) and starts loading what comes next while the person decides. */
async function showConsentUrl(request: MintRequest, effects: MintEffects, url: string): Promise<void> {
  effects.tell('Open this URL in a browser to give consent:');
  effects.tell(url);
  void afterConsent()
    .then((after) => after.loadGoogleAuth())
    .catch(() => undefined);
  if (request.openBrowser && !request.manual) await effects.openUrl(url);
}

async function awaitConsent(request: MintRequest, effects: MintEffects, waitFor: (signal: AbortSignal) => Promise<Consent>): Promise<string> {
  // A line printed under the --manual paste prompt would garble it; there only the timeout names the causes.
  const remind = request.manual ? () => () => undefined : (effects.remindWhileWaiting ?? remindLater);
  const advice = request.waitingAdvice ?? MINT_WAITING_ADVICE;
  const cancelHint = remind(() => effects.tell(`Still waiting for consent. ${advice.stillWaiting}`));
  const consent = await waitAtMost(request.timeoutSeconds, advice, effects.signal, waitFor).finally(cancelHint);
  if (consent.kind === 'error') throw consentError(consent);
  return consent.code;
}

function urlFor(request: MintRequest, redirectUri: string, state: string, challenge: string): string {
  return consentUrl(request.endpoints.consent, {
    clientId: request.client.clientId,
    redirectUri,
    scopes: request.scopes,
    state,
    codeChallenge: challenge,
    loginHint: request.loginHint,
  });
}

/** SPEC flow steps 2 to 5 with the loopback server as the redirect target. */
async function consentViaLoopback(request: MintRequest, effects: MintEffects): Promise<ConsentCode> {
  const pkce = createPkce();
  const state = createState();
  const server = await startLoopbackServer({ ...redirectFor(request, effects), state, scopes: request.scopes, issuers: request.issuers });
  try {
    await showConsentUrl(request, effects, urlFor(request, server.redirectUri, state, pkce.challenge));
    const code = await awaitConsent(request, effects, (signal) => server.waitForCallback(signal));
    return { code, verifier: pkce.verifier, redirectUri: server.redirectUri };
  } finally {
    await server.close();
  }
}

/** --manual: the redirect goes nowhere reachable; the person pastes where the browser ended up. */
async function consentViaPaste(request: MintRequest, effects: MintEffects): Promise<ConsentCode> {
  const pkce = createPkce();
  const state = createState();
  const redirect = redirectFor(request, effects);
  const port = request.client.type === 'web' ? redirect.port : await freeLoopbackPort(redirect.port);
  const redirectUri = `http://${redirect.hostname}:${port}${redirect.path}`;
  await showConsentUrl(request, effects, urlFor(request, redirectUri, state, pkce.challenge));
  effects.tell(`After you choose Allow, the browser goes to ${redirectUri}?… and shows an error such as "This site can't be reached": that is expected.`);
  effects.tell('Copy the whole address from its address bar (or just the code in it) and paste it here.');
  const judge: PasteJudge = (text) => {
    const pasted = parsePasted(text, { path: redirect.path, state, issuers: request.issuers });
    return pasted.kind === 'invalid' ? { problem: pasted.problem } : { consent: pasted };
  };
  const code = await awaitConsent(request, effects, (signal) => effects.readPasted(judge, signal));
  return { code, verifier: pkce.verifier, redirectUri };
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

/** The whole consent flow; returns the token for the caller to write. */
export async function mintToken(request: MintRequest, effects: MintEffects): Promise<MintedToken> {
  const consent = await (request.manual ? consentViaPaste : consentViaLoopback)(request, effects);
  const { exchangeCode, accountEmail } = await afterConsent();
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
