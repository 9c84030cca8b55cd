import { describe, expect, it } from 'vitest';
import { explainSendFailure, readGmailError } from '../../src/core/gmail-errors.js';
import { EMULATOR_PROJECT_NUMBER, GMAIL_ERRORS, gmailErrorBody, type GmailErrorName } from '../../src/emulator/gmail-errors.js';

/**
 * The emulator's Gmail API error bodies (src/emulator/gmail-errors.ts) are Google's shapes: read
 * back by the same code that reads Google's, each gives its reason, project and link, and tells
 * the person what Google's would.
 */

const ACTIVATION = `https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=${EMULATOR_PROJECT_NUMBER}`;

const google = (name: GmailErrorName) => readGmailError(GMAIL_ERRORS[name].code, gmailErrorBody(GMAIL_ERRORS[name]));

describe("what an emulator Gmail error body says (Google's shapes)", () => {
  it('insufficientPermissions: the reason from errors[], not the ErrorInfo behind it; no project', () => {
    expect(google('insufficientPermissions')).toEqual({
      code: 403,
      reason: 'insufficientPermissions',
      message: 'Request had insufficient authentication scopes.',
      project: undefined,
      activationUrl: undefined,
    });
  });

  it('accessNotConfigured: the project number from consumer, and the activation link', () => {
    expect(google('accessNotConfigured')).toEqual({
      code: 403,
      reason: 'accessNotConfigured',
      message: GMAIL_ERRORS.accessNotConfigured.message,
      project: EMULATOR_PROJECT_NUMBER,
      activationUrl: ACTIVATION,
    });
  });

  it('bodies without details: rate limits, daily limit, no mailbox, bad recipient', () => {
    expect(google('rateLimitExceeded')).toEqual({ code: 429, reason: 'rateLimitExceeded', message: 'Resource has been exhausted (e.g. check quota).' });
    expect(google('dailyLimitExceeded')).toEqual({ code: 403, reason: 'dailyLimitExceeded', message: 'Daily Limit Exceeded' });
    expect(google('failedPrecondition')).toEqual({ code: 400, reason: 'failedPrecondition', message: 'Mail service not enabled' });
  });

});

describe('what the person is told about each', () => {
  const said = (name: GmailErrorName) => explainSendFailure(google(name));

  it('each of the emulator (Google) errors, word for word', () => {
    expect(said('insufficientPermissions')).toBe(
      'Gmail says the token may not send mail (403 insufficientPermissions: Request had insufficient authentication scopes.). Mint again with --scope gmail.send.',
    );
    expect(said('accessNotConfigured')).toBe(
      `Gmail refused to send because the Gmail API is not enabled in the OAuth client's Cloud project (project ${EMULATOR_PROJECT_NUMBER}) (403 accessNotConfigured: ${GMAIL_ERRORS.accessNotConfigured.message}). Enable it at ${ACTIVATION}, wait a few minutes, then run again.`,
    );
    expect(said('rateLimitExceeded')).toBe(
      'Gmail is limiting how fast this account or project may send (429 rateLimitExceeded: Resource has been exhausted (e.g. check quota).). It is a usage limit, not a setup problem: wait a minute, then run again.',
    );
    expect(said('userRateLimitExceeded')).toBe(
      'Gmail is limiting how fast this account or project may send (403 userRateLimitExceeded: User-rate limit exceeded.  Retry after 2026-11-28T12:00:00.000Z). It is a usage limit, not a setup problem: wait a minute, then run again.',
    );
    expect(said('dailyLimitExceeded')).toBe(
      "Gmail's daily limit for this project is used up (403 dailyLimitExceeded: Daily Limit Exceeded). It is a usage limit, not a setup problem: try again after it resets (midnight Pacific Time).",
    );
    expect(said('failedPrecondition')).toBe(
      'Gmail cannot send from this account (400 failedPrecondition: Mail service not enabled): it has no Gmail mailbox, or Gmail is turned off for it. Mint with an account that has Gmail.',
    );
    expect(said('invalidArgument')).toBe('Gmail rejected the test message (400 invalidArgument: Recipient address required). Check the address given to --send-test.');
  });

});
