import { describe, expect, it } from 'vitest';
import { resolveEndpoints, type GoogleEndpoints } from '../../src/core/endpoints.js';
import { FlowError } from '../../src/core/errors.js';
import { failedCheckReport } from '../../src/oauth/check.js';
import { refreshAccess } from '../../src/oauth/refresh.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { useStubGoogle } from '../helpers/stub-google.js';

/** What `check` reports and how its test message is sent (src/oauth/check.ts, gmail.ts), in this process. */
const h = useEmulatorHarness();

/** Google in a documented case the emulator does not play. */
const google = useStubGoogle();

const endpoints = (overrides: Partial<GoogleEndpoints> = {}): GoogleEndpoints => ({ ...resolveEndpoints({ emulatorHost: h.emulator.hostPort }), ...overrides });

describe('refreshing, where Google answers oddly', () => {
  const stubbed = async (body: unknown) => {
    google.answer(() => ({ status: 200, body }));
    const { clientId, clientSecret } = h.emulator.defaultClient;
    return refreshAccess({ source: 'token.json', refreshToken: 'r' }, { clientId, clientSecret }, endpoints({ token: `${google.origin()}/token` }));
  };

  it('an answer without expires_in is taken to last an hour; one without an access token fails', async () => {
    const before = Date.now();
    const fresh = await stubbed({ access_token: 'ya29.stub' });
    expect(fresh.accessToken).toBe('ya29.stub');
    expect(fresh.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(fresh.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 3_599_000);
    const failure = stubbed({ token_type: 'Bearer' });
    await expect(failure).rejects.toBeInstanceOf(FlowError);
    await expect(failure).rejects.toThrow(/^Refreshing the token failed: Google sent no access token\. Try again\.$/);
  });

  it('invalid_rapt names a reauthentication only on an invalid_grant', async () => {
    google.answer(() => ({ status: 400, body: { error: 'invalid_request', error_subtype: 'invalid_rapt' } }));
    const { clientId, clientSecret } = h.emulator.defaultClient;
    const failure = refreshAccess({ source: 'token.json', refreshToken: 'r' }, { clientId, clientSecret }, endpoints({ token: `${google.origin()}/token` }));
    await expect(failure).rejects.toThrow(/invalid_request/);
    await expect(failure).rejects.not.toThrow(/sign in again/);
  });

  it('a check that could not finish reports every field, the unknowns null', () => {
    expect(failedCheckReport('token.json', 'why')).toEqual({
      ok: false,
      source: 'token.json',
      client_id: null,
      account: null,
      scopes: [],
      can_send: false,
      access_token_expiry: null,
      stored_access_token_fresh: null,
      stored_access_token_expiry: null,
      refresh_token_expiry: null,
      refresh_token_expires_soon: false,
      test_message_id: null,
      full_mail_scope: false,
      smtp: null,
      imap: null,
      problem: 'why',
    });
  });
});
