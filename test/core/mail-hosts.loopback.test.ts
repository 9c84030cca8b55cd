import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { isLoopbackHost, mailTarget } from '../../src/core/mail-hosts.js';

describe('isLoopbackHost: addresses judged as addresses, not by their look', () => {
  it.each(['127.0.0.1', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', 'localhost'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['127.0.0.256', '127.0.0.09', '127.1', '128.0.0.1', '::2', 'localhost.example', '127.0.0.1.example'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('GMAIL_TOKEN_SMTP_HOST / GMAIL_TOKEN_IMAP_HOST', () => {
  it('takes a loopback address in plain TCP and a name elsewhere over TLS', () => {
    expect(mailTarget('smtp', '127.0.0.1:2525')).toEqual({ protocol: 'smtp', host: '127.0.0.1', port: 2525, security: 'plain' });
    expect(mailTarget('imap', '[::1]:1143')).toEqual({ protocol: 'imap', host: '::1', port: 1143, security: 'plain' });
    expect(mailTarget('smtp', 'mail.example:587')).toEqual({ protocol: 'smtp', host: 'mail.example', port: 587, security: 'starttls' });
  });

  it.each(['127.0.0.256:2525', '127.0.0.09:2525', '127.1:2525', '[1::2::3]:1143'])('refuses %s, which is no valid address (a resolver would look it up as a name)', (value) => {
    expect(() => mailTarget('smtp', value)).toThrow(UsageError);
  });
});
