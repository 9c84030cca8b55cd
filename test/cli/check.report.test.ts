import { describe, expect, it } from 'vitest';
import { NO_FULL_MAIL_SCOPE } from '../../src/core/mail-refusal.js';
import { describeCheck } from '../../src/cli/commands/check.js';
import { renderFor } from '../../src/cli/render.js';
import { failedCheckReport, type CheckReport } from '../../src/oauth/check.js';
import { fakeIo } from '../helpers/fake-io.js';

/** `check`'s report as people read it (without --json), line by line. */
function told(report: CheckReport): string[] {
  const { io, said } = fakeIo();
  describeCheck(renderFor(io), report);
  return said().split('\n').slice(0, -1);
}

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 10_000).toISOString();
const SEND = 'https://www.googleapis.com/auth/gmail.send';
const FULL = 'https://mail.google.com/';
/** A report with nothing learnt (every unknown null), then what a working token's check learns. */
const working: CheckReport = {
  ...failedCheckReport('token.json', ''),
  ok: true,
  client_id: 'c.apps.googleusercontent.com',
  account: 'you@gmail.com',
  scopes: [SEND],
  can_send: true,
  problem: null,
};

describe("check's report", () => {
  it('a working token: what it is, what it may do, and that SMTP and IMAP would refuse it', () => {
    expect(told(working)).toEqual([
      '✓ The token from token.json works and can send mail.',
      '  client:   c.apps.googleusercontent.com',
      '  account:  you@gmail.com',
      `  scopes:   ${SEND}`,
      '  sending:  granted',
      `  ${NO_FULL_MAIL_SCOPE}`,
    ]);
  });

  it('expiries in minutes from now, the stored access token, and the test message', () => {
    const access = minutesFromNow(30);
    const stale = minutesFromNow(-5);
    const lines = told({ ...working, account: null, scopes: [SEND, 'email'], access_token_expiry: access, stored_access_token_fresh: false, stored_access_token_expiry: stale, refresh_token_expiry: '2026-12-14T10:00:00.000Z', test_message_id: '18c0ffee' });
    expect(lines.slice(2)).toEqual([
      '  account:  unknown (mint with the email scope to learn it)',
      `  scopes:   ${SEND} email`,
      '  sending:  granted',
      `  access token expires ${access} (in 30 min)`,
      `  stored access token: stale, expiry ${stale} (5 min ago); access-token will refresh it`,
      '  refresh token expires 2026-12-14T10:00:00.000Z',
      '  test message sent, Gmail id 18c0ffee',
      `  ${NO_FULL_MAIL_SCOPE}`,
    ]);
    const fresh = minutesFromNow(42);
    expect(told({ ...working, stored_access_token_fresh: true, stored_access_token_expiry: fresh })).toContain(`  stored access token: fresh, expires ${fresh} (in 42 min); access-token reuses it`);
    expect(told({ ...working, stored_access_token_fresh: false })).toContain('  stored access token: no expiry recorded; access-token will refresh it');
  });

  it('a token that cannot send says so, and a failed step is named: the test message or a login', () => {
    expect(told({ ...working, ok: false, can_send: false, scopes: ['email'], problem: 'cannot send' }).slice(0, 4)).toEqual([
      '  client:   c.apps.googleusercontent.com',
      '  account:  you@gmail.com',
      '  scopes:   email',
      '  sending:  not granted',
    ]);
    expect(told({ ...working, ok: false, problem: 'Gmail refused' })[0]).toBe('The token from token.json refreshes, but sending the test message failed:');
    const refused = { ok: false, server: 'smtp.gmail.com:465', user: 'you@gmail.com', reached: true, problem: 'SMTP said no' };
    expect(told({ ...working, ok: false, full_mail_scope: true, scopes: [FULL], smtp: refused, problem: 'SMTP said no' })[0]).toBe('The token from token.json refreshes, but logging in failed:');
  });

  it('each login: logged in, not tried, not reached or refused, with its own problem unless it is the one the error line gives', () => {
    const lines = told({
      ...working,
      ok: false,
      full_mail_scope: true,
      scopes: [FULL],
      smtp: { ok: false, server: 'smtp.gmail.com:465', user: 'you@gmail.com', reached: false, problem: 'No connection' },
      imap: { ok: false, server: 'imap.gmail.com:993', user: 'you@gmail.com', reached: true, problem: 'IMAP said no' },
      problem: 'No connection',
    });
    expect(lines.slice(5)).toEqual(['  SMTP:     not reached at smtp.gmail.com:465', '  IMAP:     refused at imap.gmail.com:993', '            IMAP said no']);
    const both = told({
      ...working,
      full_mail_scope: true,
      scopes: [FULL],
      smtp: { ok: true, server: 'smtp.gmail.com:465', user: 'you@gmail.com', reached: true, problem: null },
      imap: { ok: false, server: 'imap.gmail.com:993', user: null, reached: false, problem: 'needs the account' },
    });
    expect(both.slice(5)).toEqual(['  SMTP:     logged in to smtp.gmail.com:465 as you@gmail.com, and out', '  IMAP:     not tried at imap.gmail.com:993', '            needs the account']);
  });

  it('says nothing of the full mail scope when the token has it, or when a login already showed it', () => {
    expect(told({ ...working, full_mail_scope: true, scopes: [FULL] })).not.toContain(`  ${NO_FULL_MAIL_SCOPE}`);
    const login = { ok: false, server: 'smtp.gmail.com:465', user: 'you@gmail.com', reached: true, problem: 'lacks the scope' };
    expect(told({ ...working, smtp: login })).not.toContain(`  ${NO_FULL_MAIL_SCOPE}`);
    expect(told({ ...working, imap: login })).not.toContain(`  ${NO_FULL_MAIL_SCOPE}`);
  });
});
