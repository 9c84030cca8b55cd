import { describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError } from '../../src/core/errors.js';
import { revokeToken } from '../../src/oauth/revoke.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintInProcess } from '../helpers/mint.js';
import { useStubGoogle } from '../helpers/stub-google.js';

const h = useEmulatorHarness();

describe('revoke', () => {
  it('revokes a live refresh token; a second time it is already invalid, not a failure', async () => {
    const token = await mintInProcess(h.emulator);
    const endpoints = resolveEndpoints({ emulatorHost: h.emulator.hostPort });
    expect(await revokeToken({ source: 'test', refreshToken: token.refreshToken, accessToken: token.accessToken }, endpoints)).toEqual({ kind: 'revoked', which: 'refresh token' });
    expect(await revokeToken({ source: 'test', refreshToken: token.refreshToken }, endpoints)).toEqual({ kind: 'already-invalid', which: 'refresh token' });
    expect(await revokeToken({ source: 'test', accessToken: 'not-a-token' }, endpoints)).toEqual({ kind: 'already-invalid', which: 'access token' });
  });

  describe('any other answer is a failure', () => {
    const google = useStubGoogle();

    it.each([
      [400, { error: 'invalid_request', error_description: 'Bad Request' }, /Revoking the token failed: Google answered invalid_request \(Bad Request\)\./],
      [401, { error: 'invalid_token' }, /Revoking the token failed: Google answered invalid_token\./],
      [503, { error: 'invalid_token' }, /Google had a server error \(HTTP 503, invalid_token\)/],
    ])('HTTP %i %j', async (status, body, message) => {
      google.answer(() => ({ status, body }));
      const endpoints = resolveEndpoints({ emulatorHost: google.hostPort() });
      const failure = revokeToken({ source: 'test', refreshToken: '1//refresh-secret' }, endpoints, { timeoutMs: 5_000 });
      await expect(failure).rejects.toBeInstanceOf(FlowError);
      await expect(failure).rejects.toThrow(message);
      await expect(failure).rejects.not.toThrow(/refresh-secret/);
    });

    // Google answers 200 with an empty body; the library hands that over as '' or {}.
    it.each([
      ['blank text', '  \n', true],
      ['{}', {}, true],
      ['a JSON array', [], false],
      ["a proxy's JSON object", { ok: true }, false],
    ])('HTTP 200 with %s: revoked only when empty', async (_name, body, revoked) => {
      google.answer(() => ({ status: 200, body }));
      const endpoints = resolveEndpoints({ emulatorHost: google.hostPort() });
      const outcome = revokeToken({ source: 'test', refreshToken: '1//refresh-secret' }, endpoints, { timeoutMs: 5_000 });
      if (revoked) await expect(outcome).resolves.toEqual({ kind: 'revoked', which: 'refresh token' });
      else await expect(outcome).rejects.toThrow(/^Revoking the token failed: the answer was (a JSON array, not Google's JSON object|JSON Google does not send here), so a proxy/);
    });
  });
});
