import { describe, expect, it } from 'vitest';
import { parseLoginHint, parsePort, parseTimeout } from '../../src/core/args.js';
import { parseAddress } from '../../src/core/message.js';
import { usageMessage } from '../helpers/usage.js';

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

describe('strict numbers', () => {
  it('--port and --timeout refuse seven digits even when they name a number in range', () => {
    expect(parsePort('008085')).toBe(8085);
    expect(usageMessage(() => parsePort('0008085'))).toMatch(/^--port "0008085" is not a port\./);
    expect(parseTimeout('000300')).toBe(300);
    expect(usageMessage(() => parseTimeout('0000300'))).toMatch(/^--timeout "0000300" is not a number of seconds\./);
  });

  it('refuses any character around the digits, at either end', () => {
    for (const bad of ['5 ', ' 5', '5\n', '\n5', 'a5', '5a', '٥', '5.']) {
      expect(usageMessage(() => parsePort(bad))).toMatch(/is not a port\./);
      expect(usageMessage(() => parseTimeout(bad))).toMatch(/is not a number of seconds\./);
    }
  });

  it('escapes what it quotes back', () => {
    expect(usageMessage(() => parsePort('\u001b[2J'))).toBe('--port "\\x1b[2J" is not a port. Use a whole number from 1 to 65535, or 0 for any free port.');
  });
});
