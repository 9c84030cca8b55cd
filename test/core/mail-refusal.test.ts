import { describe, expect, it } from 'vitest';
import { explainRefusal, quoteServer, type Refusal } from '../../src/core/mail-refusal.js';

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

describe('quoteServer: a server reply as it may be shown', () => {
  it('cuts out the exact secrets it is given, wherever they are', () => {
    expect(quoteServer('NO bad token abc and abc again', ['abc', ''])).toBe('NO bad token […] and […] again');
  });

  it('cuts out runs of 24 or more token characters with a digit and a capital, and keeps the rest', () => {
    expect(quoteServer('NO ya29.A0ARrdaM1234567890abcdefghij end')).toBe('NO […] end');
    expect(quoteServer('a2345678901234567890ABC')).toBe('a2345678901234567890ABC');
    for (const run of ['abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwx1', 'ABCDEFGHIJKLMNOPQRSTUVWXyz']) {
      expect(quoteServer(`NO ${run}`)).toBe(`NO ${run}`);
    }
  });

  it('keeps 160 characters, and marks a cut', () => {
    expect(quoteServer('x '.repeat(80))).toBe('x '.repeat(80));
    expect(quoteServer(`${'x '.repeat(80)}y`)).toBe(`${'x '.repeat(80)}…`);
  });
});

it('only an IMAP refusal is blamed on IMAP being off', () => {
  const smtp: Refusal = { protocol: 'smtp', user: 'you@gmail.com', accountConfirmed: true, scopes: ['https://mail.google.com/'], reply: '535 IMAP access is disabled', challenge: null };
  expect(explainRefusal(smtp)).toMatch(/^Gmail's SMTP refused the token for you@gmail\.com \(535 IMAP access is disabled\)\./);
});

describe('explainRefusal before the server is quoted', () => {
  const refusal: Refusal = { protocol: 'smtp', user: 'you@gmail.com', scopes: ['https://mail.google.com/'], accountConfirmed: true, reply: '535-5.7.8 Username and Password not accepted.', challenge: null };

  it('a token without the full mail scope is told so, whatever the server said', () => {
    expect(explainRefusal({ ...refusal, scopes: ['https://www.googleapis.com/auth/gmail.send'] })).toBe(
      "Gmail's SMTP refused the token: it lacks https://mail.google.com/, the only scope Gmail's SMTP, IMAP and POP accept. Mint again with `gmail-token mint -s full,email`.",
    );
  });

  it('a login name Google did not confirm is named as the likely cause', () => {
    expect(explainRefusal({ ...refusal, accountConfirmed: false })).toBe(
      "Gmail's SMTP refused the login as you@gmail.com, which may not be the token's account. Mint with the email scope (`-s full,email`) so check logs in as the account Google names.",
    );
  });
});
