import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/core/errors.js';
import type { StoredToken } from '../../src/core/stored-token.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { useCheckFlow } from '../helpers/check.js';
import { useStubGoogle } from '../helpers/stub-google.js';

/** What `check` reports and how its test message is sent (src/oauth/check.ts, gmail.ts), in this process. */
const h = useEmulatorHarness();

const SEND = 'https://www.googleapis.com/auth/gmail.send';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const EMAIL = 'https://www.googleapis.com/auth/userinfo.email';
const NOW = new Date('2026-11-27T12:00:00Z');
const HOUR = 3600_000;

/** Google in a documented case the emulator does not play. */
const google = useStubGoogle();

const { endpoints, mint, check, sent } = useCheckFlow(h, NOW);

const askedUserinfo = () => h.emulator.received.filter((r) => r.path.endsWith('/userinfo')).length;

describe('check reports', () => {
  it('a sending token: ok, its scopes and client, the stored account when Google names none, and no test message unless asked', async () => {
    const stored = { ...(await mint([SEND])), account: 'kept@example.com' };
    const report = await check(stored);
    expect(report).toEqual({
      ok: true,
      source: 'token.json',
      client_id: h.emulator.defaultClient.clientId,
      account: 'kept@example.com',
      scopes: [SEND],
      can_send: true,
      access_token_expiry: report.access_token_expiry,
      stored_access_token_fresh: null,
      stored_access_token_expiry: null,
      refresh_token_expiry: null,
      refresh_token_expires_soon: false,
      test_message_id: null,
      full_mail_scope: false,
      smtp: null,
      imap: null,
      problem: null,
    });
    expect(new Date(report.access_token_expiry ?? '').getTime()).toBeGreaterThan(Date.now() + HOUR - 60_000);
    expect(askedUserinfo()).toBe(0);
    expect(sent()).toEqual([]);
    expect((await check({ source: 'token.json', refreshToken: stored.refreshToken })).account).toBeNull();
  });

  it('a token that cannot send: not ok, says how to fix it, and sends no test message', async () => {
    const report = await check(await mint([READONLY]), { sendTestTo: 'someone@example.com' });
    expect(report).toMatchObject({ ok: false, can_send: false, scopes: [READONLY], test_message_id: null });
    expect(report.problem).toBe('The token works but cannot send mail: mint again with --scope gmail.send.');
    expect(sent()).toEqual([]);
  });

  it("the account Google names wins over the stored one; userinfo is asked when tokeninfo does not say", async () => {
    const stored = { ...(await mint([SEND, EMAIL])), account: 'stale@example.com' };
    expect((await check(stored)).account).toBe('tester@example.com');
    expect(askedUserinfo()).toBe(0);
    google.answer(() => ({ status: 200, body: { scope: `${SEND} ${EMAIL}` } }));
    const viaUserinfo = await check(stored, { endpoints: endpoints({ tokeninfo: `${google.origin()}/tokeninfo` }) });
    expect(viaUserinfo.account).toBe('tester@example.com');
    expect(viaUserinfo.client_id).toBe(h.emulator.defaultClient.clientId);
    expect(askedUserinfo()).toBe(1);
  });

  it('an address userinfo does not give (refused, or not a string) leaves the stored account', async () => {
    const stored = { ...(await mint([SEND])), account: 'kept@example.com' };
    google.answer((path) => ({ status: 200, body: path === '/tokeninfo' ? { scope: `${SEND} email`, aud: 'from-tokeninfo' } : { email: 7 } }));
    const refused = await check(stored, { endpoints: endpoints({ tokeninfo: `${google.origin()}/tokeninfo` }) });
    expect(refused).toMatchObject({ account: 'kept@example.com', client_id: 'from-tokeninfo', scopes: [SEND, 'email'] });
    expect(askedUserinfo()).toBe(1);
    const notString = await check(stored, { endpoints: endpoints({ tokeninfo: `${google.origin()}/tokeninfo`, userinfo: `${google.origin()}/userinfo` }) });
    expect(notString.account).toBe('kept@example.com');
  });

  it('tokeninfo failing fails the check, in one line', async () => {
    google.answer(() => ({ status: 400, body: { error: 'invalid_token', error_description: 'Invalid Value' } }));
    const failure = check(await mint([SEND]), { endpoints: endpoints({ tokeninfo: `${google.origin()}/tokeninfo` }) });
    await expect(failure).rejects.toBeInstanceOf(FlowError);
    await expect(failure).rejects.toThrow(/^Asking Google what the token grants failed: Google answered invalid_token \(Invalid Value\)\.$/);
  });

  it('the stored access token: fresh by the given clock, its expiry, and null when either is missing', async () => {
    const { refreshToken } = await mint([SEND]);
    const expiry = new Date(NOW.getTime() + HOUR);
    const stored: StoredToken = { source: 'token.json', refreshToken, accessToken: 'ya29.stored', accessTokenExpiry: expiry };
    expect(await check(stored)).toMatchObject({ stored_access_token_fresh: true, stored_access_token_expiry: expiry.toISOString() });
    expect((await check(stored, { now: new Date(expiry.getTime() - 30_000) })).stored_access_token_fresh).toBe(false);
    expect(await check({ ...stored, accessTokenExpiry: undefined })).toMatchObject({ stored_access_token_fresh: false, stored_access_token_expiry: null });
    expect(await check({ ...stored, accessToken: undefined })).toMatchObject({ stored_access_token_fresh: null, stored_access_token_expiry: null });
  });

  it('the refresh token expires soon when less than 48 hours are left', async () => {
    const { refreshToken } = await mint([SEND]);
    const expiry = new Date(NOW.getTime() + 48 * HOUR);
    const stored: StoredToken = { source: 'token.json', refreshToken, refreshTokenExpiry: expiry };
    expect(await check(stored)).toMatchObject({ refresh_token_expiry: expiry.toISOString(), refresh_token_expires_soon: false });
    expect((await check(stored, { now: new Date(NOW.getTime() + 1) })).refresh_token_expires_soon).toBe(true);
  });
});
