import { timingSafeEqual } from 'node:crypto';

export interface ConsentRequest {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  codeChallenge: string;
  loginHint?: string;
}

/**
 * The consent URL of SPEC flow step 4. Built here rather than by google-auth-library so the URL
 * can be shown before that library has loaded.
 */
export function consentUrl(endpoint: string, request: ConsentRequest): string {
  const url = new URL(endpoint);
  const params: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', request.clientId],
    ['redirect_uri', request.redirectUri],
    ['scope', request.scopes.join(' ')],
    ['state', request.state],
    ['code_challenge', request.codeChallenge],
    ['code_challenge_method', 'S256'],
    ['access_type', 'offline'],
    ['prompt', 'consent'],
  ];
  if (request.loginHint) params.push(['login_hint', request.loginHint]);
  for (const [name, value] of params) url.searchParams.set(name, value);
  return url.toString();
}

export type Callback =
  | { kind: 'code'; code: string; scopes: string[] }
  | { kind: 'error'; error: string; description?: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'not-found' };

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  return values.length === 1 ? values[0] : undefined;
}

/** The issuer Google names in its redirect (RFC 9207 `iss`). */
export const GOOGLE_ISSUER = 'https://accounts.google.com';

export interface ExpectedCallback {
  path: string;
  state: string;
  /** Who may answer as `iss`; Google alone unless the emulator is in use. */
  issuers?: readonly string[];
}

/**
 * RFC 9207 section 2.4: an `iss` that is present must be the issuer we sent the person to; a
 * redirect without one is still accepted, as older Google answers carry none.
 */
function wrongIssuer(params: URLSearchParams, issuers: readonly string[]): boolean {
  const named = params.getAll('iss');
  return named.length > 1 || (named.length === 1 && !issuers.includes(named[0] as string));
}

export const WRONG_ISSUER = 'its issuer (iss) is not the one consent was asked of';

/**
 * Judges one request to the loopback server. Only the callback path with exactly one `state`
 * equal to ours, from the expected issuer, is accepted; any other request on that path is
 * rejected and the flow keeps waiting, so a forged or stray request cannot end it.
 */
export function parseCallback(target: string, expected: ExpectedCallback): Callback {
  // The raw request target, not a WHATWG URL: that parser strips tabs and newlines, resolves dot
  // segments and reads `/\host/cb` as host + path, so targets that are not our path would match.
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  if (path !== expected.path) return { kind: 'not-found' };
  const params = new URLSearchParams(query === -1 ? '' : target.slice(query + 1));
  const state = single(params, 'state');
  if (state === undefined || !sameSecret(state, expected.state)) {
    return { kind: 'rejected', reason: 'state does not match' };
  }
  if (wrongIssuer(params, expected.issuers ?? [GOOGLE_ISSUER])) return { kind: 'rejected', reason: WRONG_ISSUER };
  const code = single(params, 'code');
  const error = single(params, 'error');
  if (error !== undefined) {
    const description = single(params, 'error_description');
    return description === undefined ? { kind: 'error', error } : { kind: 'error', error, description };
  }
  if (code) {
    const scopes = (single(params, 'scope') ?? '').split(/\s+/).filter(Boolean);
    return { kind: 'code', code, scopes };
  }
  return { kind: 'rejected', reason: 'no code and no error' };
}

export type Pasted = Extract<Callback, { kind: 'code' } | { kind: 'error' }> | { kind: 'invalid'; problem: string };

/**
 * Judges what a person pasted in --manual mode: the whole URL their browser was sent to (whose
 * state must be ours, on our callback path), or the bare code from it.
 */
export function parsePasted(text: string, expected: ExpectedCallback): Pasted {
  const pasted = text.trim();
  if (pasted === '') return { kind: 'invalid', problem: 'Nothing was pasted.' };
  if (/^https?:\/\//i.test(pasted)) {
    let url: URL;
    try {
      url = new URL(pasted);
    } catch {
      return { kind: 'invalid', problem: 'That is not a whole URL; copy the full address from the browser.' };
    }
    const callback = parseCallback(url.pathname + url.search, expected);
    if (callback.kind === 'code' || callback.kind === 'error') return callback;
    if (callback.kind === 'not-found') return { kind: 'invalid', problem: `That URL is not this run's redirect (its path should be ${expected.path}).` };
    if (callback.reason === WRONG_ISSUER) return { kind: 'invalid', problem: `That URL was refused: ${WRONG_ISSUER}.` };
    return { kind: 'invalid', problem: "That URL does not carry this run's state; paste the address from the consent you just gave." };
  }
  if (/^[\w\-./~%]+$/.test(pasted)) {
    try {
      return { kind: 'code', code: decodeURIComponent(pasted), scopes: [] };
    } catch {
      return { kind: 'invalid', problem: 'That code is not well formed; paste the whole URL instead.' };
    }
  }
  return { kind: 'invalid', problem: 'Paste the whole URL from the browser address bar, or just the value of its code parameter.' };
}
