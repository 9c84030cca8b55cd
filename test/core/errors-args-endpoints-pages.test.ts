import { describe, expect, it } from 'vitest';
import { parseLoginHint, parsePort, parseTimeout } from '../../src/core/args.js';
import { browserUnavailable } from '../../src/core/browser.js';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { ExitCode, FlowError, GmailTokenError, InterruptedError, UsageError } from '../../src/core/errors.js';
import { parseAddress, rfc2822Date, testMessage } from '../../src/core/message.js';
import { PAGE_HEADERS, errorPage, escapeHtml, partialPage, successPage } from '../../src/core/pages.js';
import { parseTokenFile, tokenFromEnv } from '../../src/core/stored-token.js';
import { usageMessage } from '../helpers/usage.js';

/** src/core parts the CLI tests reach only through dist/: here in-process, for `npm run mutation`. */

const SEND = 'https://www.googleapis.com/auth/gmail.send';

describe('exit codes', () => {
  it('usage 2, flow 1, interrupted 130, each error carrying its own, named after its class', () => {
    expect(ExitCode).toEqual({ ok: 0, failed: 1, usage: 2, interrupted: 130 });
    const usageError = new UsageError('u');
    expect([usageError.exitCode, usageError.name, usageError.message]).toEqual([2, 'UsageError', 'u']);
    const flow = new FlowError('f');
    expect([flow.exitCode, flow.name]).toEqual([1, 'FlowError']);
    const interrupted = new InterruptedError();
    expect([interrupted.exitCode, interrupted.name, interrupted.message]).toEqual([130, 'InterruptedError', 'Interrupted; nothing was written.']);
    for (const error of [usageError, flow, interrupted]) expect(error).toBeInstanceOf(GmailTokenError);
  });
});

describe('flags', () => {
  it('--port: a whole number from 0 to 65535', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
    expect(parsePort('8085')).toBe(8085);
    for (const bad of ['65536', '-1', '1.5', '', ' ', ' 8085 ', '+5', 'x', '0x10', '1e3']) {
      expect(usageMessage(() => parsePort(bad))).toBe(`--port "${bad}" is not a port. Use a whole number from 1 to 65535, or 0 for any free port.`);
    }
  });

  it('--timeout: whole seconds from 1, at most a day', () => {
    expect(parseTimeout('1')).toBe(1);
    expect(parseTimeout('300')).toBe(300);
    expect(parseTimeout('86400')).toBe(86_400);
    for (const bad of ['0', '0.5', '-1', '86401', '', '  ', 'soon', 'Infinity', 'NaN', '1e-9']) {
      expect(usageMessage(() => parseTimeout(bad))).toBe(`--timeout "${bad}" is not a number of seconds. Use a whole number from 1 to 86400, e.g. 300.`);
    }
  });

  it('--login-hint: one address, or none', () => {
    expect(parseLoginHint(undefined)).toBeUndefined();
    expect(parseLoginHint('you@gmail.com')).toBe('you@gmail.com');
    for (const bad of ['nobody', 'a@b@c', 'a b@c', '@c', 'a@', 'x\n@y', 'a@b\n']) {
      expect(usageMessage(() => parseLoginHint(bad))).toMatch(/^--login-hint ".*" is not an email address\. Give the Google account's address, e\.g\. you@gmail\.com\.$/s);
    }
  });

  it('--send-test: one plain address, nothing that could add a header', () => {
    expect(parseAddress('you@example.com')).toBe('you@example.com');
    for (const bad of ['you@example', 'a b@c.d', 'a@b.c\r\nBcc: x@y.z', '<a@b.c>', 'a@b.c,d@e.f', 'a;b@c.d', '"a"@b.c', 'a@b@c.d', '.@.', 'a\\b@c.d', 'a(b)@c.d', 'a:b@c.d']) {
      expect(usageMessage(() => parseAddress(bad))).toMatch(/^--send-test ".*" is not an email address\. Give one plain address, e\.g\. you@example\.com\.$/s);
    }
  });
});

describe('endpoints', () => {
  it("Google's own by default; the credentials file's auth_uri and token_uri when given", () => {
    expect(resolveEndpoints({})).toEqual({
      consent: 'https://accounts.google.com/o/oauth2/v2/auth',
      token: 'https://oauth2.googleapis.com/token',
      revoke: 'https://oauth2.googleapis.com/revoke',
      tokeninfo: 'https://oauth2.googleapis.com/tokeninfo',
      userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
      send: 'https://gmail.googleapis.com/gmail/v1/users/me/messages/send',
    });
    const own = resolveEndpoints({ authUri: 'https://accounts.example/auth', tokenUri: 'http://127.0.0.1:9/token' });
    expect([own.consent, own.token, own.revoke]).toEqual(['https://accounts.example/auth', 'http://127.0.0.1:9/token', 'https://oauth2.googleapis.com/revoke']);
    expect(resolveEndpoints({ tokenUri: 'http://localhost:9/t' }).token).toBe('http://localhost:9/t');
    expect(resolveEndpoints({ tokenUri: 'http://[::1]:9/t' }).token).toBe('http://[::1]:9/t');
  });

  it('refuses plain http off loopback, which would send secrets in the clear, and what is not a URL', () => {
    expect(usageMessage(() => resolveEndpoints({ tokenUri: 'http://oauth2.example/token' }))).toBe(
      'The token_uri "http://oauth2.example/token" must be an https URL. To use a local emulator, set GMAIL_TOKEN_EMULATOR_HOST.',
    );
    expect(usageMessage(() => resolveEndpoints({ authUri: 'ftp://127.0.0.1/x' }))).toMatch(/^The auth_uri "ftp:\/\/127\.0\.0\.1\/x" must be an https URL\./);
    expect(usageMessage(() => resolveEndpoints({ authUri: 'not a url' }))).toBe('The auth_uri "not a url" is not a URL. Download the credentials file again.');
  });

  it('with the emulator variable, every request goes to the emulator on Google’s paths', () => {
    expect(resolveEndpoints({ emulatorHost: '127.0.0.1:8089', tokenUri: 'https://ignored.example/token' })).toEqual({
      consent: 'http://127.0.0.1:8089/o/oauth2/v2/auth',
      token: 'http://127.0.0.1:8089/token',
      revoke: 'http://127.0.0.1:8089/revoke',
      tokeninfo: 'http://127.0.0.1:8089/tokeninfo',
      userinfo: 'http://127.0.0.1:8089/v1/userinfo',
      send: 'http://127.0.0.1:8089/gmail/v1/users/me/messages/send',
    });
    expect(resolveEndpoints({ emulatorHost: '[::1]:1' }).token).toBe('http://[::1]:1/token');
    expect(resolveEndpoints({ emulatorHost: 'localhost:65535' }).token).toBe('http://localhost:65535/token');
    for (const bad of ['127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', 'a b:1', 'x:1/path', ' 127.0.0.1:1', '127.0.0.1:1 ']) {
      expect(usageMessage(() => resolveEndpoints({ emulatorHost: bad }))).toBe(
        `GMAIL_TOKEN_EMULATOR_HOST="${bad}" is not host:port. Use what \`gmail-token emulator\` printed, e.g. 127.0.0.1:8089.`,
      );
    }
  });
});

describe('whether a browser can open here', () => {
  it('not over SSH or on Linux without a display, unless $BROWSER names one', () => {
    expect(browserUnavailable('linux', { DISPLAY: ':0' })).toBeUndefined();
    expect(browserUnavailable('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeUndefined();
    expect(browserUnavailable('linux', {})).toBe('there is no display (DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(browserUnavailable('freebsd', {})).toBe('there is no display (DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(browserUnavailable('darwin', {})).toBeUndefined();
    expect(browserUnavailable('win32', {})).toBeUndefined();
    expect(browserUnavailable('darwin', { SSH_CONNECTION: '1 2 3 4' })).toBe('this is an SSH session');
    expect(browserUnavailable('linux', { DISPLAY: ':0', SSH_TTY: '/dev/pts/1' })).toBe('this is an SSH session');
    expect(browserUnavailable('linux', { BROWSER: 'w3m', SSH_TTY: '/dev/pts/1' })).toBeUndefined();
  });
});

describe('the --send-test message', () => {
  it('is RFC 2822 with CRLF line ends, a UTC date and the given headers', () => {
    expect(rfc2822Date(new Date('2026-03-01T04:05:06Z'))).toBe('Sun, 1 Mar 2026 04:05:06 +0000');
    expect(rfc2822Date(new Date('2026-12-31T23:59:59Z'))).toBe('Thu, 31 Dec 2026 23:59:59 +0000');
    // 2026-01-04 is a Sunday: a week of days, then the first of every month.
    const week = Array.from({ length: 7 }, (_, day) => rfc2822Date(new Date(Date.UTC(2026, 0, 4 + day))).slice(0, 3));
    expect(week).toEqual(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
    const months = Array.from({ length: 12 }, (_, month) => rfc2822Date(new Date(Date.UTC(2026, month, 1))).split(' ')[2]);
    expect(months).toEqual(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);
    const message = testMessage({ to: 'a@b.c', from: 'me@b.c', date: new Date('2026-11-28T10:00:00Z'), id: 'abc123' });
    const end = message.indexOf('\r\n\r\n');
    const [head, body] = [message.slice(0, end), message.slice(end + 4)];
    expect(head.split('\r\n')).toEqual([
      'From: me@b.c',
      'To: a@b.c',
      'Subject: gmail-token test message',
      'Date: Sat, 28 Nov 2026 10:00:00 +0000',
      'Message-ID: <abc123@gmail-token.invalid>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: 8bit',
    ]);
    expect(body).toMatch(/^This message was sent by `gmail-token check --send-test`.*\r\n.*✓\r\n\r\nNothing needs to be done; you can delete it\.\r\n$/);
    expect(message.replace(/\r\n/g, '')).not.toContain('\n');
    expect(testMessage({ to: 'a@b.c', date: new Date(0), id: 'x' })).toMatch(/^To: a@b\.c\r\n/);
  });
});

describe('stored tokens', () => {
  it('reads what mint wrote, and google-auth’s access_token', () => {
    const token = parseTokenFile(
      JSON.stringify({ refresh_token: 'r', token: 't', client_id: 'c', client_secret: 's', token_uri: 'u', account: 'a@b.c', refresh_token_expiry: '2026-12-01T00:00:00Z' }),
      'token.json',
    );
    expect(token).toEqual({ source: 'token.json', refreshToken: 'r', accessToken: 't', clientId: 'c', clientSecret: 's', tokenUri: 'u', account: 'a@b.c', refreshTokenExpiry: new Date('2026-12-01T00:00:00Z') });
    expect(parseTokenFile(JSON.stringify({ access_token: 'at', refresh_token: null, account: '' }), 'f')).toEqual({ source: 'f', accessToken: 'at' });
  });

  it('refuses, each with its own message, what is not a token', () => {
    expect(usageMessage(() => parseTokenFile('{', 'f'))).toBe('f is not valid JSON. Pass a token.json written by `gmail-token mint`.');
    for (const text of ['null', '[]', '"x"', '1']) expect(usageMessage(() => parseTokenFile(text, 'f'))).toBe('f is not a token object. Pass a token.json written by `gmail-token mint`.');
    for (const kind of ['installed', 'web']) {
      expect(usageMessage(() => parseTokenFile(JSON.stringify({ [kind]: {}, refresh_token: 'r' }), 'f'))).toBe(
        'f is an OAuth client (credentials.json), not a token. Run `gmail-token mint` to get a token.json.',
      );
    }
    expect(usageMessage(() => parseTokenFile('{"client_id":"c"}', 'f'))).toBe('f holds no refresh_token and no token. Run `gmail-token mint` to get one.');
    expect(usageMessage(() => parseTokenFile('{"refresh_token":1}', 'f'))).toBe('f: refresh_token should be a string.');
    expect(usageMessage(() => parseTokenFile('{"refresh_token":"r","refresh_token_expiry":"soon"}', 'f'))).toBe('f: refresh_token_expiry is not a date.');
  });

  it('reads the three env values under a prefix; no refresh token is no token', () => {
    const values = new Map([['P_REFRESH_TOKEN', 'r'], ['P_CLIENT_ID', 'c'], ['P_CLIENT_SECRET', 's']]);
    expect(tokenFromEnv((name) => values.get(name), 'P_', '.env')).toEqual({ source: '.env', refreshToken: 'r', clientId: 'c', clientSecret: 's' });
    expect(tokenFromEnv((name) => (name === 'P_REFRESH_TOKEN' ? 'r' : ''), 'P_', '.env')).toEqual({ source: '.env', refreshToken: 'r', clientId: undefined, clientSecret: undefined });
    expect(tokenFromEnv((name) => values.get(name), 'Q_', '.env')).toBeUndefined();
    expect(tokenFromEnv((name) => (name === 'P_REFRESH_TOKEN' ? '' : 'x'), 'P_', '.env')).toBeUndefined();
  });
});

describe('the pages the loopback server shows', () => {
  it('escape everything that came from the network, and are locked down by their headers', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    const hostile = '<script>alert(1)</script>';
    for (const html of [errorPage(hostile, hostile), successPage([hostile]), partialPage([hostile], [hostile])]) {
      expect(html).not.toContain('<script>');
      expect(html).toContain('&#60;script&#62;');
    }
    expect(PAGE_HEADERS['Content-Security-Policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(PAGE_HEADERS).toMatchObject({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY' });
  });

  it('say what was granted, what is missing, and what Google answered, with advice for known errors', () => {
    const success = successPage([SEND]);
    expect(success).toContain('<title>You can close this tab · gmail-token</title>');
    expect(success).toMatch(/<li><span class="meaning">[^<]+<\/span><code>https:\/\/www\.googleapis\.com\/auth\/gmail\.send<\/code><\/li>/);
    expect(successPage([])).toContain('<li>No scopes were listed in Google’s answer.</li>');
    const partial = partialPage([], [SEND]);
    expect(partial).toMatch(/<h2>Not granted<\/h2>\s*<ul class="scopes"><li>.*gmail\.send/);
    expect(partial).toContain('<li>Nothing.</li>');
    expect(partial).toContain('<main class="bad">');
    expect(success).toContain('<main class="ok">');
    expect(errorPage('access_denied')).toContain('Access was denied on Google’s consent screen');
    expect(errorPage('admin_policy_enforced')).toContain('Your Google Workspace administrator does not allow this app');
    expect(errorPage('org_internal')).toContain('limited to accounts of its own Google Workspace organisation');
    const unknown = errorPage('server_error', 'try later');
    expect(unknown).toContain('Google ended the sign-in with an error instead of a code');
    expect(unknown).toContain('Google’s answer: <code>server_error</code>: try later</p>');
    expect(errorPage('server_error')).toContain('Google’s answer: <code>server_error</code></p>');
  });
});
