import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { FlowError } from '../../src/core/errors.js';
import { describeFailure, googleFailure, httpPolicyFrom, notJson } from '../../src/oauth/google.js';
import { revokeToken } from '../../src/oauth/revoke.js';

/** How Google's answers and silences become one-line errors (src/oauth/google.ts), for `npm run mutation`. */

describe('the request timeout', () => {
  it('GMAIL_TOKEN_HTTP_TIMEOUT in whole seconds from 1 to 3600; unset or empty is 30 s; anything else is refused', () => {
    expect(httpPolicyFrom({ GMAIL_TOKEN_HTTP_TIMEOUT: '1' })).toEqual({ timeoutMs: 1000 });
    expect(httpPolicyFrom({ GMAIL_TOKEN_HTTP_TIMEOUT: '3600' })).toEqual({ timeoutMs: 3_600_000 });
    for (const value of [undefined, '']) expect(httpPolicyFrom({ GMAIL_TOKEN_HTTP_TIMEOUT: value })).toEqual({ timeoutMs: 30_000 });
    for (const value of ['0', '3601', '2.5', '-1', 'soon', 'Infinity', '1e9', ' 5']) {
      expect(() => httpPolicyFrom({ GMAIL_TOKEN_HTTP_TIMEOUT: value })).toThrow(/^GMAIL_TOKEN_HTTP_TIMEOUT=.* is not a whole number of seconds from 1 to 3600\./);
    }
  });
});

describe('failures as data', () => {
  it('a body that is not an object, or an error that is null, gives no error name', () => {
    for (const data of [null, 'Service Unavailable', { error: null }]) {
      expect(googleFailure({ response: { status: 503, data } })).toEqual({ status: 503, error: undefined, description: undefined, network: undefined });
    }
  });

  it('finds the system code up to five causes deep, skipping empty codes; else a timeout or abort name; else no response', () => {
    const chain = (depth: number, last: object): object => (depth === 0 ? last : { cause: chain(depth - 1, last) });
    expect(googleFailure(chain(4, { code: 'ECONNRESET' })).network).toBe('ECONNRESET');
    expect(googleFailure(chain(5, { code: 'ECONNRESET' })).network).toBe('no response');
    expect(googleFailure({ code: '', cause: { code: 'EPIPE' } }).network).toBe('EPIPE');
    expect(googleFailure({ code: 7, cause: { code: 'EPIPE' } }).network).toBe('EPIPE');
    expect(googleFailure({ name: 'TimeoutError', cause: { name: 'AbortError' } }).network).toBe('TimeoutError');
    expect(googleFailure({ name: 'TypeError', cause: { name: 'AbortError' } }).network).toBe('AbortError');
    expect(googleFailure({ name: 'TypeError', cause: { name: 7 } }).network).toBe('no response');
    expect(googleFailure({ name: 'TypeError', cause: {} }).network).toBe('no response');
    expect(googleFailure({}).network).toBe('no response');
  });
});

describe('one-line errors', () => {
  it('says what went wrong, and what to do, for each kind of failure', () => {
    expect(describeFailure({ network: 'TimeoutError' }, 'Refreshing').message).toBe('Refreshing failed: Google did not answer in time. Check your network and try again.');
    expect(describeFailure({ status: 500, error: 'internal_failure' }, 'X').message).toBe('X failed: Google had a server error (HTTP 500, internal_failure). Try again in a minute.');
    expect(describeFailure({ status: 502 }, 'X').message).toBe('X failed: Google had a server error (HTTP 502). Try again in a minute.');
    expect(describeFailure({ status: 400 }, 'X').message).toBe('X failed: Google sent an unexpected answer (HTTP 400). Try again.');
    expect(describeFailure({}, 'X').message).toBe('X failed: Google sent an unexpected answer (HTTP ?). Try again.');
    expect(describeFailure({ status: 499, error: 'e' }, 'X').message).toBe('X failed: Google answered e.');
    expect(notJson('Refreshing', '<html>')).toBeInstanceOf(FlowError);
    const kind = (data: unknown) => notJson('X', data).message.replace(/^X failed: the answer was (.*), so a proxy or captive portal is in the way\. Check your network or proxy settings and try again\.$/, '$1');
    expect(kind('')).toBe("empty, not Google's JSON");
    expect(kind(' \r\n')).toBe("empty, not Google's JSON");
    expect(kind('  <!DOCTYPE html>')).toBe("a web page, not Google's JSON");
    expect(kind('Service Unavailable <br>')).toBe("plain text, not Google's JSON");
    expect(kind(null)).toBe("JSON null, not Google's JSON object");
    expect(kind([])).toBe("a JSON array, not Google's JSON object");
    expect(kind(new Blob(['x']))).toBe("not text, not Google's JSON");
    expect(kind({ ok: true })).toBe('JSON Google does not send here');
    expect(kind(5)).toBe("a JSON number, not Google's JSON object");
    expect(notJson('Refreshing', '<html>').message).toBe(
      "Refreshing failed: the answer was a web page, not Google's JSON, so a proxy or captive portal is in the way. Check your network or proxy settings and try again.",
    );
  });
});

describe('requests to Google', () => {
  let google: Server | undefined;
  afterEach(async () => {
    google?.closeAllConnections();
    await new Promise<void>((resolve) => (google ? google.close(() => resolve()) : resolve()));
    google = undefined;
  });

  async function stub(answer: (count: number) => number | 'hang'): Promise<{ endpoints: ReturnType<typeof resolveEndpoints>; count: () => number }> {
    let count = 0;
    google = createServer((_req, res) => {
      const status = answer(++count);
      if (status !== 'hang') res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'x' }));
    });
    await new Promise<void>((resolve) => google?.listen(0, '127.0.0.1', resolve));
    return { endpoints: resolveEndpoints({ emulatorHost: `127.0.0.1:${(google.address() as AddressInfo).port}` }), count: () => count };
  }

  it('give up after the configured time', async () => {
    const { endpoints } = await stub(() => 'hang');
    await expect(revokeToken({ source: 't', refreshToken: 'r' }, endpoints, { timeoutMs: 300 })).rejects.toThrow(/^Revoking the token failed: Google did not answer in time\./);
  });

  it('are tried once more after a server error, not more', async () => {
    const { endpoints, count } = await stub(() => 503);
    await expect(revokeToken({ source: 't', refreshToken: 'r' }, endpoints, { timeoutMs: 5_000 })).rejects.toThrow(/server error \(HTTP 503, x\)/);
    expect(count()).toBe(2);
  });
});
