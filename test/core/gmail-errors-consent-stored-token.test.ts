import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { GOOGLE_ISSUER, parseCallback, parsePasted } from '../../src/core/consent.js';
import { assignments, parseDotenv } from '../../src/core/dotenv.js';
import { explainSendFailure, readGmailError } from '../../src/core/gmail-errors.js';
import { parseTokenFile } from '../../src/core/stored-token.js';
import { EMULATOR_PROJECT_NUMBER, GMAIL_ERRORS, gmailErrorBody, type GmailErrorName } from '../../src/emulator/gmail-errors.js';

/**
 * The src/core gaps a full mutation run showed: gmail-errors.ts, which only CLI tests (running
 * dist/) reached, so none of its mutants was tested (the bodies are the emulator's, which quote
 * Google's); the callback's iss check; how token.json's expiry is read.
 */

const ACTIVATION = `https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=${EMULATOR_PROJECT_NUMBER}`;
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
const HELP = 'type.googleapis.com/google.rpc.Help';

const google = (name: GmailErrorName) => readGmailError(GMAIL_ERRORS[name].code, gmailErrorBody(GMAIL_ERRORS[name]));
const told = (status: number | undefined, data: unknown) => explainSendFailure(readGmailError(status, data));
const body = (error: Record<string, unknown>) => ({ error });

describe("what a Gmail error body says (Google's shapes)", () => {
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

describe('the callback names its issuer (RFC 9207 iss)', () => {
  const expected = { path: '/cb', state: 'good-state' };
  const google = `iss=${encodeURIComponent(GOOGLE_ISSUER)}`;
  const refused = { kind: 'rejected', reason: 'its issuer (iss) is not the one consent was asked of' };

  it("Google's iss, or none, is accepted by default; another, or Google's twice, is refused like a wrong state", () => {
    expect(parseCallback(`/cb?state=good-state&${google}&code=c&scope=a`, expected)).toEqual({ kind: 'code', code: 'c', scopes: ['a'] });
    expect(parseCallback('/cb?state=good-state&code=c', expected)).toEqual({ kind: 'code', code: 'c', scopes: [] });
    expect(parseCallback('/cb?state=good-state&iss=https%3A%2F%2Fevil.example&code=c', expected)).toEqual(refused);
    expect(parseCallback(`/cb?state=good-state&${google}&${google}&code=c`, expected)).toEqual(refused);
    expect(parseCallback('/cb?state=good-state&iss=&code=c', expected)).toEqual(refused);
    expect(parseCallback('/cb?state=good-state&iss=https%3A%2F%2Fevil.example&error=access_denied', expected)).toEqual(refused);
  });

  it('a wrong state is told before a wrong issuer', () => {
    expect(parseCallback('/cb?state=bad-state&iss=x&code=c', expected)).toEqual({ kind: 'rejected', reason: 'state does not match' });
  });

  it('the issuers given (the emulator) replace Google', () => {
    const emulator = { ...expected, issuers: ['http://127.0.0.1:9'] };
    expect(parseCallback('/cb?state=good-state&iss=http%3A%2F%2F127.0.0.1%3A9&code=c', emulator)).toEqual({ kind: 'code', code: 'c', scopes: [] });
    expect(parseCallback(`/cb?state=good-state&${google}&code=c`, emulator)).toEqual(refused);
  });

  it('a redirect URI whose path is / (a Desktop client on its root) reads the query after it', () => {
    expect(parseCallback('/?state=good-state&code=c', { ...expected, path: '/' })).toEqual({ kind: 'code', code: 'c', scopes: [] });
  });

  it('--manual: a pasted redirect from another issuer is refused saying so, not as a wrong state', () => {
    const paste = (query: string) => parsePasted(`http://127.0.0.1:1/cb?${query}`, expected);
    expect(paste('state=good-state&iss=https%3A%2F%2Fevil.example&code=c')).toEqual({
      kind: 'invalid',
      problem: 'That URL was refused: its issuer (iss) is not the one consent was asked of.',
    });
    expect(paste('state=other&code=c')).toEqual({
      kind: 'invalid',
      problem: "That URL does not carry this run's state; paste the address from the consent you just gave.",
    });
  });
});

describe("token.json's expiry: only how long the access token may be reused", () => {
  const read = (expiry: unknown) => parseTokenFile(JSON.stringify({ refresh_token: 'r', token: 't', expiry }), 'token.json').accessTokenExpiry;

  it('a date is kept; anything else means "refresh it", not a file to refuse', () => {
    expect(read('2026-11-28T12:59:59.000Z')).toEqual(new Date('2026-11-28T12:59:59.000Z'));
    expect(read('soon')).toBeUndefined();
    expect(read(1764334799000)).toBeUndefined();
    expect(read(null)).toBeUndefined();
    expect(read(undefined)).toBeUndefined();
  });
});

describe('.env lines broken by U+2028 and U+2029, which end a line for dotenv but not for a person', () => {
  it("a line start after either of them unquotes like dotenv's own regex does", () => {
    for (const text of ["A=a\u2028'b'", 'A=a\u2029"b"\u2029c', 'A=a\u2028`b`\u2029\'c', 'A=a\u2028b\'']) {
      expect(Object.fromEntries(parseDotenv(text))).toEqual(dotenv.parse(text));
    }
    expect(parseDotenv("A=a\u2028'b'").get('A')).toBe('a\u2028b');
    expect(parseDotenv('A=a\u2029"b"\u2029c').get('A')).toBe('a\u2029b\u2029c');
  });

  it('a value ending in U+2028 still occupies only its own line', () => {
    expect(assignments('A=a\u2028\nB=2')).toEqual([
      { name: 'A', value: 'a', firstLine: 0, lastLine: 0 },
      { name: 'B', value: '2', firstLine: 2, lastLine: 2 },
    ]);
  });
});
