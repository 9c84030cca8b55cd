import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError } from '../../src/core/errors.js';
import { mintToken } from '../../src/oauth/mint.js';
import { revokeToken } from '../../src/oauth/revoke.js';
import { followConsent } from '../helpers/browser.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintRequestFor } from '../helpers/mint.js';

const h = useEmulatorHarness();

const SEND = 'https://www.googleapis.com/auth/gmail.send';

function mint(scopes = [SEND]) {
  return mintToken(mintRequestFor(h.emulator, { scopes }), {
    openUrl: async (url) => void followConsent(url),
    tell: () => undefined,
    readPasted: () => Promise.reject(new Error('not in manual mode')),
    signal: new AbortController().signal,
    now: () => new Date(),
  });
}

describe('revoke', () => {
  it('revokes a live refresh token; a second time it is already invalid, not a failure', async () => {
    const token = await mint();
    const endpoints = resolveEndpoints({ emulatorHost: h.emulator.hostPort });
    expect(await revokeToken({ source: 'test', refreshToken: token.refreshToken, accessToken: token.accessToken }, endpoints)).toEqual({ kind: 'revoked', which: 'refresh token' });
    expect(await revokeToken({ source: 'test', refreshToken: token.refreshToken }, endpoints)).toEqual({ kind: 'already-invalid', which: 'refresh token' });
    expect(await revokeToken({ source: 'test', accessToken: 'not-a-token' }, endpoints)).toEqual({ kind: 'already-invalid', which: 'access token' });
  });

  describe('any other answer is a failure', () => {
    let google: Server;
    let answer: { status: number; body: object };
    beforeEach(async () => {
      google = createServer((_req, res) => res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body)));
      await new Promise<void>((resolve) => google.listen(0, '127.0.0.1', resolve));
    });
    afterEach(() => new Promise<void>((resolve) => google.close(() => resolve())));

    it.each([
      [400, { error: 'invalid_request', error_description: 'Bad Request' }, /Revoking the token failed: Google answered invalid_request \(Bad Request\)\./],
      [401, { error: 'invalid_token' }, /Revoking the token failed: Google answered invalid_token\./],
      [503, { error: 'invalid_token' }, /Google had a server error \(HTTP 503, invalid_token\)/],
    ])('HTTP %i %j', async (status, body, message) => {
      answer = { status, body };
      const endpoints = resolveEndpoints({ emulatorHost: `127.0.0.1:${(google.address() as AddressInfo).port}` });
      const failure = revokeToken({ source: 'test', refreshToken: '1//refresh-secret' }, endpoints, { timeoutMs: 5_000 });
      await expect(failure).rejects.toBeInstanceOf(FlowError);
      await expect(failure).rejects.toThrow(message);
      await expect(failure).rejects.not.toThrow(/refresh-secret/);
    });
  });
});
