import type { OAuth2Client } from 'google-auth-library';
import type { GoogleEndpoints } from '../core/endpoints.js';
import { FlowError, UsageError } from '../core/errors.js';
import { printable } from '../core/printable.js';

/**
 * OAuth2Client's own module, not the package's index: the index also loads every other client
 * (service accounts, workload identity, impersonation…), twice the code, to parse and hold in
 * memory on every mint (issue 23).
 */
type GoogleAuthLibrary = typeof import('google-auth-library/build/src/auth/oauth2client.js');

let loading: Promise<GoogleAuthLibrary> | undefined;

/**
 * google-auth-library is the heaviest thing we load; `mint` starts this while the person is
 * still on the consent page, and --help never gets here.
 */
export function loadGoogleAuth(): Promise<GoogleAuthLibrary> {
  return (loading ??= import('google-auth-library/build/src/auth/oauth2client.js'));
}

export interface ClientSecrets {
  clientId: string;
  clientSecret: string;
}

export interface HttpPolicy {
  /** Give up on a request Google never answers after this long. */
  timeoutMs: number;
}

/**
 * `GMAIL_TOKEN_HTTP_TIMEOUT=<seconds>` changes how long every request to Google may take (default
 * 30), for slow links or for tests of a Google that never answers. Read here and nowhere else.
 * Whole seconds up to an hour: a typo silently kept at 30 s, or 1e9 failing later as "could not
 * reach Google", would send the person looking at their network instead of the variable.
 */
export const HTTP_TIMEOUT_VARIABLE = 'GMAIL_TOKEN_HTTP_TIMEOUT';

export const DEFAULT_HTTP_POLICY: HttpPolicy = { timeoutMs: 30_000 };

export function httpPolicyFrom(env: NodeJS.ProcessEnv): HttpPolicy {
  const value = env[HTTP_TIMEOUT_VARIABLE];
  if (value === undefined || value === '') return DEFAULT_HTTP_POLICY;
  const seconds = /^\d{1,4}$/.test(value) ? Number(value) : 0;
  if (seconds < 1 || seconds > 3600) {
    throw new UsageError(`${HTTP_TIMEOUT_VARIABLE}=${printable(value, 40) ?? '?'} is not a whole number of seconds from 1 to 3600. Unset it for the default, 30.`);
  }
  return { timeoutMs: seconds * 1000 };
}

/**
 * One retry after a 5xx or a dropped connection, then a clear error: the library's default
 * (three retries with growing pauses) leaves a person staring at a silent terminal.
 */
export async function oauthClient(
  secrets: ClientSecrets,
  endpoints: GoogleEndpoints,
  options: { redirectUri?: string; http?: HttpPolicy } = {},
): Promise<OAuth2Client> {
  const { OAuth2Client } = await loadGoogleAuth();
  const client = new OAuth2Client({
    clientId: secrets.clientId,
    clientSecret: secrets.clientSecret,
    redirectUri: options.redirectUri,
    endpoints: { oauth2TokenUrl: endpoints.token, oauth2RevokeUrl: endpoints.revoke, tokenInfoUrl: endpoints.tokeninfo, oauth2AuthBaseUrl: endpoints.consent },
    // gaxios's default node-fetch, not Node's own fetch: on Node 20 loading undici and tearing
    // it down at exit costs a whole mint about 100 ms more (bench/).
    transporterOptions: { timeout: (options.http ?? DEFAULT_HTTP_POLICY).timeoutMs },
  });
  client.transporter.interceptors.request.add({
    resolved: async (config) => ({
      ...config,
      retryConfig: { ...config.retryConfig, retry: 1, noResponseRetries: 1, retryDelay: 200, retryDelayMultiplier: 1 },
    }),
  });
  return client;
}

/**
 * The body of the last answer `client` got: the library throws a bare TypeError on a body that is
 * not a JSON object, and the error should still say what came instead.
 */
export function lastAnswerOf(client: OAuth2Client): () => unknown {
  let body: unknown;
  client.transporter.interceptors.response.add({ resolved: async (response) => ((body = response.data), response) });
  return () => body;
}

export interface GoogleFailure {
  status?: number;
  error?: string;
  description?: string;
  /** `error_subtype`, e.g. invalid_rapt on an invalid_grant. */
  subtype?: string;
  network?: string;
}

/** Google's reply as data, never the library's message (which can quote the request). */
export function googleFailure(error: unknown): GoogleFailure {
  const failure = error as { response?: { status?: number; data?: unknown }; code?: unknown; cause?: { code?: unknown; name?: unknown } };
  const data = failure.response?.data;
  const body = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const nested = typeof body.error === 'object' && body.error !== null ? (body.error as Record<string, unknown>) : undefined;
  return {
    status: failure.response?.status,
    error: printable(nested ? nested.status : body.error),
    description: printable(nested ? nested.message : body.error_description),
    subtype: printable(body.error_subtype),
    network: failure.response ? undefined : printable(networkCode(error)) ?? 'no response',
  };
}

/**
 * The system's code for a request that got no answer. Node's fetch nests it
 * (GaxiosError → TypeError "fetch failed" → Error ECONNRESET), so follow the causes a few steps.
 */
function networkCode(error: unknown): unknown {
  let names: unknown;
  let current = error as { code?: unknown; name?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (typeof current.code === 'string' && current.code) return current.code;
    if (names === undefined && typeof current.name === 'string' && /timeout|abort/i.test(current.name)) names = current.name;
    current = current.cause as typeof current;
  }
  return names ?? (error as { cause?: { name?: unknown } } | undefined)?.cause?.name;
}

/** How to name a body that is not Google's, so a JSON null is not called a web page. */
function bodyKind(data: unknown): string {
  if (typeof data === 'string') {
    if (data.trim() === '') return "empty, not Google's JSON";
    return /^\s*</.test(data) ? "a web page, not Google's JSON" : "plain text, not Google's JSON";
  }
  if (data === null) return "JSON null, not Google's JSON object";
  if (Array.isArray(data)) return "a JSON array, not Google's JSON object";
  if (typeof data === 'object') return data instanceof Blob ? "not text, not Google's JSON" : 'JSON Google does not send here';
  return `a JSON ${typeof data}, not Google's JSON object`;
}

/** Google answers JSON; anything else in its place means something between us and Google answered. */
export function notJson(what: string, data: unknown): FlowError {
  return new FlowError(
    `${what} failed: the answer was ${bodyKind(data)}, so a proxy or captive portal is in the way. Check your network or proxy settings and try again.`,
  );
}

/** A one-line reason for failures that have no more specific explanation. */
export function describeFailure(failure: GoogleFailure, what: string): FlowError {
  if (failure.network) {
    const timedOut = /timeout|abort/i.test(failure.network);
    return new FlowError(
      timedOut
        ? `${what} failed: Google did not answer in time. Check your network and try again.`
        : `${what} failed: could not reach Google (${failure.network}). Check your network or proxy and try again.`,
    );
  }
  // A 5xx is Google's trouble whatever its body says (Google sends internal_failure,
  // temporarily_unavailable, …): say so, and that trying again later is the fix.
  if (failure.status && failure.status >= 500) {
    const said = failure.error ? `, ${failure.error}` : '';
    return new FlowError(`${what} failed: Google had a server error (HTTP ${failure.status}${said}). Try again in a minute.`);
  }
  if (failure.error) {
    const said = failure.description ? ` (${failure.description})` : '';
    return new FlowError(`${what} failed: Google answered ${failure.error}${said}.`);
  }
  return new FlowError(`${what} failed: Google sent an unexpected answer (HTTP ${failure.status ?? '?'}). Try again.`);
}
