import { describe, expect, it } from 'vitest';
import { mailTarget } from '../../src/core/mail-hosts.js';
import { decodeChallenge, encodeChallenge, parseXoauth2, xoauth2Response } from '../../src/core/xoauth2.js';
import { UsageError } from '../../src/core/errors.js';

describe('XOAUTH2 strings (Google\'s "OAuth 2.0 Mechanism" page)', () => {
  it("builds the page's own example", () => {
    expect(xoauth2Response('someuser@example.com', 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg')).toBe(
      'dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==',
    );
  });

  it('parses what it builds, and nothing malformed', () => {
    expect(parseXoauth2(xoauth2Response('a@b.c', 'ya29.x'))).toEqual({ user: 'a@b.c', token: 'ya29.x' });
    for (const text of ['user=a@b.c\x01auth=Bearer x\x01', 'user=\x01auth=Bearer x\x01\x01', 'user=a\x01auth=Basic x\x01\x01', 'user=a\x01auth=Bearer x\x01\x01\x01']) {
      expect(parseXoauth2(Buffer.from(text).toString('base64'))).toBeNull();
    }
    expect(parseXoauth2('not base64!')).toBeNull();
  });

  it("decodes the page's 401 challenge and Gmail's 400 one; anything else is null", () => {
    expect(decodeChallenge('eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIG1hYyIsInNjb3BlIjoiaHR0cHM6Ly9tYWlsLmdvb2dsZS5jb20vIn0K')).toEqual({ status: '401', scope: 'https://mail.google.com/' });
    expect(decodeChallenge('eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==')).toEqual({ status: '400', scope: 'https://mail.google.com/' });
    expect(decodeChallenge('')).toBeNull();
    expect(decodeChallenge(Buffer.from('null').toString('base64'))).toBeNull();
  });
});

describe('GMAIL_TOKEN_SMTP_HOST / GMAIL_TOKEN_IMAP_HOST', () => {
  it("defaults to Gmail's implicit-TLS ports", () => {
    expect(mailTarget('smtp', undefined)).toEqual({ protocol: 'smtp', host: 'smtp.gmail.com', port: 465, security: 'tls' });
    expect(mailTarget('imap', '')).toEqual({ protocol: 'imap', host: 'imap.gmail.com', port: 993, security: 'tls' });
  });

  it('plain TCP only to loopback; TLS (465, 993) or STARTTLS (other SMTP ports) elsewhere', () => {
    expect(mailTarget('smtp', '127.0.0.1:2525').security).toBe('plain');
    expect(mailTarget('imap', '[::1]:1143')).toMatchObject({ host: '::1', security: 'plain' });
    expect(mailTarget('smtp', 'localhost:25').security).toBe('plain');
    expect(mailTarget('smtp', 'smtp.gmail.com:587').security).toBe('starttls');
    expect(mailTarget('smtp', 'mail.example:465').security).toBe('tls');
    expect(mailTarget('imap', 'mail.example:143').security).toBe('tls');
  });

  it.each(['smtp.gmail.com', '127.0.0.1:0', '127.0.0.1:70000', 'http://127.0.0.1:25', 'a b:25', '127.0.0.1:25\nX'])('refuses %j as a usage error naming the variable', (value) => {
    expect(() => mailTarget('smtp', value)).toThrow(UsageError);
    expect(() => mailTarget('smtp', value)).toThrow(/^GMAIL_TOKEN_SMTP_HOST=.* is not host:port\./);
  });
});

describe('parseXoauth2 takes exactly the initial response Google defines', () => {
  const raw = (text: string) => Buffer.from(text).toString('base64');
  const good = xoauth2Response('a@b.c', 'ya29.x');

  it('refuses base64 with other characters before or after it', () => {
    expect(parseXoauth2(`*${good}`)).toBeNull();
    expect(parseXoauth2(`${good}*`)).toBeNull();
  });

  it('refuses fields with anything before or after their expected form', () => {
    for (const text of [
      'xuser=a@b.c\x01auth=Bearer x\x01\x01',
      'user=a@b.c\nx\x01auth=Bearer x\x01\x01',
      'user=a@b.c\x01xauth=Bearer x\x01\x01',
      'user=a@b.c\x01auth=Bearer x y\x01\x01',
      'user=a@b.c\x01auth=Bearer x\x01y\x01',
    ]) {
      expect(parseXoauth2(raw(text)), JSON.stringify(text)).toBeNull();
    }
  });
});

describe('decodeChallenge keeps only string status and scope from a JSON object', () => {
  const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

  it('is null for JSON that is not an object', () => {
    for (const value of [null, 'status', 42, true]) expect(decodeChallenge(encoded(value)), JSON.stringify(value)).toBeNull();
  });

  it('drops a status or scope that is not a string', () => {
    expect(decodeChallenge(encoded({ status: 400, scope: ['x'] }))).toEqual({});
    expect(decodeChallenge(encoded({ status: '400', scope: 'https://mail.google.com/', schemes: 'Bearer' }))).toEqual({ status: '400', scope: 'https://mail.google.com/' });
  });
});

describe('encodeChallenge', () => {
  it("is the base64 of the challenge's JSON, as Gmail sends it after a refused XOAUTH2", () => {
    const challenge = { status: '400', schemes: 'Bearer', scope: 'https://mail.google.com/' };
    expect(encodeChallenge(challenge)).toBe('eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==');
    expect(decodeChallenge(encodeChallenge({ status: 'é' }))).toEqual({ status: 'é' });
  });
});
