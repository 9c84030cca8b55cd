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

/**
 * Judges one request to the loopback server. Only the callback path with exactly one `state`
 * equal to ours is accepted; any other request on that path is rejected and the flow keeps
 * waiting, so a forged or stray request cannot end it.
 */
export function parseCallback(target: string, expected: { path: string; state: string }): Callback {
  let url: URL;
  try {
    url = new URL(target, 'http://127.0.0.1');
  } catch {
    return { kind: 'rejected', reason: 'malformed request' };
  }
  if (!target.startsWith('/') || target.startsWith('//') || url.pathname !== expected.path) {
    return { kind: 'not-found' };
  }
  const state = single(url.searchParams, 'state');
  if (state === undefined || !sameSecret(state, expected.state)) {
    return { kind: 'rejected', reason: 'state does not match' };
  }
  const code = single(url.searchParams, 'code');
  const error = single(url.searchParams, 'error');
  if (error !== undefined) {
    const description = single(url.searchParams, 'error_description');
    return description === undefined ? { kind: 'error', error } : { kind: 'error', error, description };
  }
  if (code) {
    const scopes = (single(url.searchParams, 'scope') ?? '').split(/\s+/).filter(Boolean);
    return { kind: 'code', code, scopes };
  }
  return { kind: 'rejected', reason: 'no code and no error' };
}
