import { beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError } from '../../src/core/errors.js';
import type { MintedToken } from '../../src/core/output.js';
import type { StoredToken } from '../../src/core/stored-token.js';
import { INVALID_RAPT_FAULT } from '../../src/emulator/routes-token.js';
import { refreshAccess } from '../../src/oauth/refresh.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintInProcess } from '../helpers/mint.js';

const h = useEmulatorHarness();

let minted: MintedToken;
const endpoints = () => resolveEndpoints({ emulatorHost: h.emulator.hostPort });
const secrets = () => ({ clientId: minted.clientId, clientSecret: minted.clientSecret });

beforeEach(async () => {
  minted = await mintInProcess(h.emulator);
  h.emulator.received.length = 0;
});
const live = async (token: string) => (await fetch(`${h.emulator.origin}/tokeninfo?access_token=${encodeURIComponent(token)}`)).status === 200;

describe('refreshing, and why it fails', () => {
  const refresh = (token: StoredToken, with_ = secrets()) => refreshAccess(token, with_, endpoints());
  const fromFile: () => StoredToken = () => ({ source: 'token.json', refreshToken: minted.refreshToken });

  async function refused(message: string, with_ = secrets()): Promise<void> {
    const failure = refresh(fromFile(), with_);
    const error = await failure.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowError);
    expect((error as FlowError).message).toBe(message);
  }

  it('returns a live access token, its expiry an hour ahead, and a client holding it', async () => {
    const before = Date.now();
    const fresh = await refresh(fromFile());
    expect(await live(fresh.accessToken)).toBe(true);
    expect(fresh.client.credentials.access_token).toBe(fresh.accessToken);
    expect(fresh.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 3_598_000);
    expect(fresh.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 3_599_000);
  });

  it('a revoked token: invalid_grant and its usual causes', async () => {
    h.emulator.revokeAll();
    await refused(
      'Google refused the refresh token from token.json (invalid_grant). The usual causes: it was revoked; the account password changed; the app is in "Testing" publishing status, whose refresh tokens expire after 7 days; it was unused for 6 months; or the client has over 100 refresh tokens for this account, so the oldest stopped. Mint a new one with `gmail-token mint`.',
    );
  });

  it('a reauthentication policy: invalid_rapt', async () => {
    h.emulator.behaviour.tokenFault = INVALID_RAPT_FAULT;
    await refused(
      'Google wants the account to sign in again (invalid_grant, invalid_rapt): a reauthentication policy of the account or its Workspace ended this token. Mint a new one with `gmail-token mint`.',
    );
  });

  it("another client's token: unauthorized_client", async () => {
    h.emulator.addClient({ clientId: 'other-client.apps.googleusercontent.com', clientSecret: 'other-secret', type: 'installed', redirectUris: ['http://127.0.0.1'] });
    await refused(
      'Google refused the token from token.json (unauthorized_client): it belongs to a different OAuth client. Use it with the credentials.json it was minted with, or mint a new token with this client.',
      { clientId: 'other-client.apps.googleusercontent.com', clientSecret: 'other-secret' },
    );
  });

  it('a Workspace policy: admin_policy_enforced', async () => {
    h.emulator.behaviour.tokenFault = { kind: 'oauth-error', error: 'admin_policy_enforced' };
    await refused(
      'Google refused the refresh token from token.json (admin_policy_enforced). A Google Workspace admin policy blocks this app or one of its scopes for this account. Ask the Workspace admin to trust the app (Admin console: Security, API controls), or use another account.',
    );
  });

  it('a wrong client secret: invalid_client', async () => {
    await refused(
      'Google refused the client (invalid_client): the client secret is wrong or the OAuth client was deleted. Use the client the token was minted with.',
      { clientId: minted.clientId, clientSecret: 'wrong' },
    );
  });

  it('a web page instead of JSON, and any other answer', async () => {
    h.emulator.behaviour.tokenFault = { kind: 'non-json' };
    await refused(
      "Refreshing the token failed: the answer was a web page, not Google's JSON, so a proxy or captive portal is in the way. Check your network or proxy settings and try again.",
    );
    h.emulator.behaviour.tokenFault = { kind: 'oauth-error', error: 'invalid_request', status: 400 };
    await refused('Refreshing the token failed: Google answered invalid_request (Bad Request).');
  });
});
