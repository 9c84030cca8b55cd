import { describe, expect, it } from 'vitest';
import { parseHostPort } from '../../src/core/host-port.js';

describe('parseHostPort', () => {
  it('splits a name, an IPv4 address and a bracketed IPv6 address from the port', () => {
    expect(parseHostPort('localhost:8089')).toEqual({ host: 'localhost', bracketed: false, port: 8089 });
    expect(parseHostPort('127.0.0.1:1')).toEqual({ host: '127.0.0.1', bracketed: false, port: 1 });
    expect(parseHostPort('[::1]:65535')).toEqual({ host: '::1', bracketed: true, port: 65535 });
  });

  it('refuses what is not host:port, and ports outside 1–65535', () => {
    for (const value of ['127.0.0.1', ':8089', '127.0.0.1:', '::1:8089', '[::1]', 'a b:80', 'host:0', 'host:65536', 'host:123456', 'http://host:80', 'host:80/']) {
      expect(parseHostPort(value), value).toBeUndefined();
    }
  });
});
