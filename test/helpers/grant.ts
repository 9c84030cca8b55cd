import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { resolveEndpoints, type GoogleEndpoints } from '../../src/core/endpoints.js';
import type { Emulator } from '../../src/emulator/index.js';
import { exchangeCode } from '../../src/oauth/exchange.js';

export const SEND = 'https://www.googleapis.com/auth/gmail.send';
export const REDIRECT = 'http://127.0.0.1:1/oauth2callback';
/** A clock far from the real one: an expiry computed from it, not from Google's expires_in, shows. */
export const NOW = new Date('2001-02-03T04:05:06Z');
/** Short, for a Google that never answers; PATIENT for the emulator on a busy machine. */
export const HTTP = { timeoutMs: 300 };
export const PATIENT = { timeoutMs: 5_000 };

export const emulatorEndpoints = (emulator: Emulator) => resolveEndpoints({ emulatorHost: emulator.hostPort });
export const clientOf = (emulator: Emulator) => ({ clientId: emulator.defaultClient.clientId, clientSecret: emulator.defaultClient.clientSecret });

/** What the person's browser brings back from an approved consent: a code for this verifier. */
export async function consent(emulator: Emulator, scope: string, offline = true): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(emulatorEndpoints(emulator).consent);
  url.search = new URLSearchParams({
    client_id: emulator.defaultClient.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    // prompt=consent, as mint sends: Google issues a refresh token again only then, so each test gets one whatever ran before.
    ...(offline ? { access_type: 'offline', prompt: 'consent' } : {}),
  }).toString();
  const answer = await fetch(url, { redirect: 'manual' });
  const code = new URL(answer.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`no code in ${answer.headers.get('location')}`);
  return { code, verifier };
}

/** exchangeCode for a consented code, with the emulator's client unless overridden. */
export const exchange = (
  emulator: Emulator,
  given: { code: string; verifier: string },
  overrides: { clientSecret?: string; redirectUri?: string } = {},
  http: { timeoutMs: number } = HTTP,
) =>
  exchangeCode({ ...clientOf(emulator), ...overrides }, emulatorEndpoints(emulator), {
    code: given.code,
    codeVerifier: given.verifier,
    redirectUri: overrides.redirectUri ?? REDIRECT,
    now: () => NOW,
    http,
  });

/**
 * A stand-in Google on 127.0.0.1 that answers every request with `body`, or never when it is
 * undefined; each test's is closed after it.
 */
export function useStandInGoogle(): (body?: unknown) => Promise<GoogleEndpoints> {
  let google: Server | undefined;
  afterEach(async () => {
    google?.closeAllConnections();
    await new Promise<void>((resolve) => (google ? google.close(() => resolve()) : resolve()));
    google = undefined;
  });
  return async (body) => {
    google = createServer((_req, res) => void (body === undefined || res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))));
    await new Promise<void>((resolve) => google?.listen(0, '127.0.0.1', resolve));
    return resolveEndpoints({ emulatorHost: `127.0.0.1:${(google.address() as AddressInfo).port}` });
  };
}
