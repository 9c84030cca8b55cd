import { describe, expect, it } from 'vitest';
import { explainSendFailure, readGmailError } from '../../src/core/gmail-errors.js';

const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
const HELP = 'type.googleapis.com/google.rpc.Help';

const told = (status: number | undefined, data: unknown) => explainSendFailure(readGmailError(status, data));
const body = (error: Record<string, unknown>) => ({ error });

describe("what a Gmail error body says (Google's shapes)", () => {
  it('the ErrorInfo found wherever it stands among the details; its reason when errors[] is absent', () => {
    const info = { '@type': ERROR_INFO, reason: 'SERVICE_DISABLED', metadata: { consumer: 'projects/42' } };
    const failure = readGmailError(403, body({ code: 403, details: [{ '@type': HELP, links: [] }, info] }));
    expect(failure).toMatchObject({ reason: 'SERVICE_DISABLED', project: '42', activationUrl: undefined });
    expect(readGmailError(403, body({ details: [{ '@type': 'other', reason: 'x', metadata: { consumer: 'projects/9' } }] }))).toMatchObject({
      reason: undefined,
      project: undefined,
    });
  });

  it('the activation link from the Help detail when the ErrorInfo has none, wherever Help stands', () => {
    const details = [
      { '@type': ERROR_INFO, reason: 'SERVICE_DISABLED', metadata: {} },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', links: [{ url: 'https://console.cloud.google.com/wrong' }] },
      { '@type': HELP, links: [{ url: 'https://console.cloud.google.com/apis/library/gmail.googleapis.com' }, { url: 'https://console.cloud.google.com/2' }] },
    ];
    expect(readGmailError(403, body({ details })).activationUrl).toBe('https://console.cloud.google.com/apis/library/gmail.googleapis.com');
  });

  it('a project named other than projects/N: containerInfo instead', () => {
    const metadata = { consumer: 'organizations/77', containerInfo: '77' };
    expect(readGmailError(403, body({ details: [{ '@type': ERROR_INFO, metadata }] })).project).toBe('77');
    expect(readGmailError(403, body({ details: [{ '@type': ERROR_INFO, metadata: { containerInfo: '88' } }] })).project).toBe('88');
  });

  it("offers only an https link to Google's console, nothing else", () => {
    const link = (url: unknown) => readGmailError(403, body({ details: [{ '@type': ERROR_INFO, metadata: { activationUrl: url } }] })).activationUrl;
    expect(link('https://console.cloud.google.com/apis')).toBe('https://console.cloud.google.com/apis');
    expect(link('https://x.console.developers.google.com/a')).toBe('https://x.console.developers.google.com/a');
    expect(link('http://console.cloud.google.com/apis')).toBeUndefined();
    expect(link('https://console.cloud.google.com.evil.example/apis')).toBeUndefined();
    expect(link('https://evilconsole.cloud.google.com/apis')).toBeUndefined();
    expect(link('https://evil.example/?console.cloud.google.com')).toBeUndefined();
    expect(link('not a url')).toBeUndefined();
    expect(link('')).toBeUndefined();
    expect(link(7)).toBeUndefined();
  });

  it("Google's code first, the HTTP status when the body has none; no body, null, text or an array read as nothing", () => {
    expect(readGmailError(500, body({ code: 403 })).code).toBe(403);
    expect(readGmailError(500, body({ code: '403' })).code).toBe(500);
    for (const data of [undefined, null, 'Bad Gateway', [], body(null as never), { error: [] }, { error: { errors: 'x', details: 'y' } }]) {
      expect(readGmailError(502, data)).toEqual({ code: 502 });
    }
    expect(readGmailError(undefined, undefined)).toEqual({});
  });

  it('errors[] items and details that are not objects are skipped', () => {
    expect(readGmailError(403, body({ errors: [null], details: [null, 'x', { '@type': ERROR_INFO, reason: 'R' }] })).reason).toBe('R');
  });
});

describe('what the person is told', () => {
  it('a refused access token (401), whatever the reason', () => {
    expect(told(401, body({ code: 401, message: 'Invalid Credentials', errors: [{ reason: 'authError' }] }))).toBe(
      'Gmail refused the access token (401 authError: Invalid Credentials). Run `gmail-token check` again; if it persists, mint a new token.',
    );
  });

  it('the newer reasons, found only in the ErrorInfo, mean the same as the old ones', () => {
    const info = (reason: string, code: number) => told(code, body({ code, details: [{ '@type': ERROR_INFO, reason }] }));
    expect(info('ACCESS_TOKEN_SCOPE_INSUFFICIENT', 403)).toBe('Gmail says the token may not send mail (403 ACCESS_TOKEN_SCOPE_INSUFFICIENT). Mint again with --scope gmail.send.');
    expect(info('SERVICE_DISABLED', 403)).toBe(
      "Gmail refused to send because the Gmail API is not enabled in the OAuth client's Cloud project (403 SERVICE_DISABLED). Enable it at Cloud Console, APIs & Services, Library, Gmail API, wait a few minutes, then run again.",
    );
    expect(info('RATE_LIMIT_EXCEEDED', 403)).toBe(
      'Gmail is limiting how fast this account or project may send (403 RATE_LIMIT_EXCEEDED). It is a usage limit, not a setup problem: wait a minute, then run again.',
    );
    expect(told(403, body({ errors: [{ reason: 'rateLimitExceeded' }] }))).toMatch(/^Gmail is limiting how fast .* \(403 rateLimitExceeded\)\./);
  });

  it('a bare 403 is about scopes only when its message says so and no reason says otherwise', () => {
    expect(told(403, body({ message: 'Request had insufficient authentication Scopes.' }))).toBe(
      'Gmail says the token may not send mail (403: Request had insufficient authentication Scopes.). Mint again with --scope gmail.send.',
    );
    expect(told(403, body({ message: 'scope', errors: [{ reason: 'forbidden' }] }))).toBe(
      'Gmail refused to send (403 forbidden: scope). Check that the Gmail API is enabled for the client\'s Cloud project.',
    );
    expect(told(403, body({ message: 'Forbidden' }))).toBe("Gmail refused to send (403: Forbidden). Check that the Gmail API is enabled for the client's Cloud project.");
    expect(told(403, undefined)).toBe("Gmail refused to send (403). Check that the Gmail API is enabled for the client's Cloud project.");
    expect(told(400, body({ message: 'bad scope' }))).toBe('Gmail rejected the test message (400: bad scope). Check the address given to --send-test.');
  });

  it('by status when the reason is unknown or missing: 429 and 400', () => {
    expect(told(429, 'Too Many Requests')).toBe(
      'Gmail is limiting how fast this account or project may send (429). It is a usage limit, not a setup problem: wait a minute, then run again.',
    );
    expect(told(429, body({ errors: [{ reason: 'somethingNew' }] }))).toMatch(/^Gmail is limiting how fast .* \(429 somethingNew\)\./);
    expect(told(400, undefined)).toBe('Gmail rejected the test message (400). Check the address given to --send-test.');
    expect(told(500, body({ errors: [{ reason: 'invalidArgument' }] }))).toBe(
      'Gmail rejected the test message (500 invalidArgument). Check the address given to --send-test.',
    );
  });

  it('anything else: the status and whatever Google said, or HTTP ? when there was no status at all', () => {
    expect(told(500, body({ code: 500, message: 'Backend Error', errors: [{ reason: 'backendError' }] }))).toBe(
      'Sending the test message failed (500 backendError: Backend Error).',
    );
    expect(told(503, '<html>')).toBe('Sending the test message failed (503).');
    expect(told(undefined, undefined)).toBe('Sending the test message failed (HTTP ?).');
  });

  it('text from the body is made safe to print', () => {
    expect(told(500, body({ message: 'a\u001b[2Jb', errors: [{ reason: 'x\ny' }] }))).toBe('Sending the test message failed (500 x y: a [2Jb).');
  });
});

describe('usage limits and accounts without Gmail', () => {
  it('a daily limit says when it resets; a failed precondition says the account has no Gmail', () => {
    expect(told(403, body({ code: 403, message: 'Daily limit', errors: [{ reason: 'dailyLimitExceeded' }] }))).toBe(
      "Gmail's daily limit for this project is used up (403 dailyLimitExceeded: Daily limit). It is a usage limit, not a setup problem: try again after it resets (midnight Pacific Time).",
    );
    expect(told(400, body({ code: 400, message: 'Precondition check failed.', errors: [{ reason: 'failedPrecondition' }] }))).toBe(
      "Gmail cannot send from this account (400 failedPrecondition: Precondition check failed.): it has no Gmail mailbox, or Gmail is turned off for it. Mint with an account that has Gmail.",
    );
  });
});
