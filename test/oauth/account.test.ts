import { describe, expect, it } from 'vitest';
import { accountEmail } from '../../src/oauth/account.js';
import { clientOf, consent as consentAt, emulatorEndpoints, exchange as exchangeAt, HTTP, PATIENT, SEND, useStandInGoogle } from '../helpers/grant.js';
import { useEmulatorHarness } from '../helpers/harness.js';

/**
 * The account lookup (src/oauth/account.ts), in this process for `npm run mutation`: from the
 * id_token, else the emulator's tokeninfo, and a stand-in Google on 127.0.0.1 that never answers.
 */
const h = useEmulatorHarness();

const endpoints = () => emulatorEndpoints(h.emulator);
const secrets = () => clientOf(h.emulator);
const consent = (scope: string) => consentAt(h.emulator, scope);
const exchange = (given: { code: string; verifier: string }) => exchangeAt(h.emulator, given, {}, PATIENT);
const standIn = useStandInGoogle();

/** An unsigned id_token as Google's looks: header, claims, signature, each base64url. */
const idToken = (claims: object | string) =>
  ['{"alg":"RS256"}', typeof claims === 'string' ? claims : JSON.stringify(claims)].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.sig';

describe('accountEmail', () => {
  const lookups = () => h.emulator.received.filter((request) => request.path === '/tokeninfo');

  it('takes the address from the id_token when it has one, asking Google nothing', async () => {
    const email = await accountEmail(secrets(), endpoints(), { accessToken: 'ya29.not-live', idToken: idToken({ sub: '1', email: 'from-id@example.com' }) }, HTTP);
    expect(email).toBe('from-id@example.com');
    expect(lookups()).toEqual([]);
  });

  it.each([undefined, 'no-dots', '', idToken({ sub: '1' }), idToken({ email: 7 }), idToken('not json'), 'h.!!!.s'])(
    'else asks tokeninfo with the access token alone (id_token %s)',
    async (given) => {
      const grant = await exchange(await consent(`${SEND} email`));
      expect(await accountEmail(secrets(), endpoints(), { accessToken: grant.accessToken, idToken: given }, PATIENT)).toBe('tester@example.com');
      expect(lookups()).toHaveLength(1);
      expect(lookups()[0]?.headers.authorization).toBe(`Bearer ${grant.accessToken}`);
    },
  );

  it('is empty, not an error, when tokeninfo does not give it: no email scope, a dead token, no answer', async () => {
    const grant = await exchange(await consent(SEND));
    expect(await accountEmail(secrets(), endpoints(), { accessToken: grant.accessToken }, PATIENT)).toBe('');
    expect(await accountEmail(secrets(), endpoints(), { accessToken: 'ya29.not-live' }, PATIENT)).toBe('');
    // Within the configured time: under the default 30 s this test would time out.
    expect(await accountEmail(secrets(), await standIn(), { accessToken: grant.accessToken }, HTTP)).toBe('');
  });
});
