import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consentUrl } from '../../src/core/consent.js';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError } from '../../src/core/errors.js';
import { approveConsent } from '../../src/demo/approve.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { rejectionOf } from '../helpers/usage.js';

/**
 * The demo's stand-in for the person's browser (src/demo/approve.ts): it asks the emulator's
 * consent endpoint and follows the redirect only to the loopback server the consent URL names.
 */

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A loopback server answering `status`; returns its origin and the paths it was asked for. */
async function loopback(status: number): Promise<{ origin: string; asked: string[] }> {
  const asked: string[] = [];
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    res.writeHead(status, { 'Content-Type': 'text/html' }).end('<p>done</p>');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

const consentFor = (redirectUri: string, endpoint = resolveEndpoints({ emulatorHost: emulator.hostPort }).consent) =>
  consentUrl(endpoint, { clientId: emulator.defaultClient.clientId, redirectUri, scopes: ['https://www.googleapis.com/auth/gmail.send'], state: 'st4te', codeChallenge: 'c'.repeat(43) });

const signal = new AbortController().signal;

describe('approveConsent', () => {
  it("brings the emulator's code and state to the loopback server, as a browser after Allow", async () => {
    const { origin, asked } = await loopback(200);
    await approveConsent(consentFor(`${origin}/oauth2callback`), signal);
    expect(asked).toHaveLength(1);
    const callback = new URL(asked[0] ?? '', origin);
    expect(callback.pathname).toBe('/oauth2callback');
    expect(callback.searchParams.get('state')).toBe('st4te');
    expect(callback.searchParams.get('code')).toMatch(/\S/);
  });

  it('a loopback server that does not answer 200 is a FlowError naming its status', async () => {
    const { origin } = await loopback(400);
    const { message } = await rejectionOf(approveConsent(consentFor(`${origin}/oauth2callback`), signal), FlowError);
    expect(message).toBe('The loopback server answered the consent redirect with 400.');
  });

  it('a consent endpoint that does not redirect to the redirect URI: nothing is followed', async () => {
    const { origin, asked } = await loopback(200);
    const redirectUri = 'http://127.0.0.1:1/oauth2callback';
    const { message } = await rejectionOf(approveConsent(consentFor(redirectUri, `${origin}/o/oauth2/v2/auth`), signal), FlowError);
    expect(message).toBe(`The emulator's consent endpoint answered 200 without the redirect to ${redirectUri}.`);
    expect(asked).toHaveLength(1);
  });
});
