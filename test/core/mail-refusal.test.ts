import { describe, expect, it } from 'vitest';
import { explainRefusal, type Refusal } from '../../src/core/mail-refusal.js';

describe('explainRefusal names the cause', () => {
  const base: Refusal = { protocol: 'imap', user: 'you@gmail.com', accountConfirmed: true, scopes: ['https://mail.google.com/'], reply: 'NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)', challenge: { status: '400' } };

  it('IMAP turned off by the account or its admin', () => {
    for (const reply of ['NO [ALERT] Your account is not enabled for IMAP use. (Failure)', 'NO [ALERT] IMAP access is disabled for your domain. (Failure)']) {
      expect(explainRefusal({ ...base, reply })).toMatch(/^Gmail's IMAP refused you@gmail\.com: IMAP is turned off for the account\. .*Workspace admin/);
    }
  });

  it('otherwise quotes the server briefly, with the challenge status', () => {
    expect(explainRefusal(base)).toBe(
      "Gmail's IMAP refused the token for you@gmail.com (NO [AUTHENTICATIONFAILED] Invalid credentials (Failure), status 400). Check the token with `gmail-token check` and mint a new one if it was revoked.",
    );
  });
});
