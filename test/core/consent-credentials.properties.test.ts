import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCallback } from '../../src/core/consent.js';
import { parseCredentials } from '../../src/core/credentials.js';
import { UsageError } from '../../src/core/errors.js';
import { b64url, runs } from '../helpers/properties.js';

// ---------------------------------------------------------------------------------------------
// parseCredentials
// ---------------------------------------------------------------------------------------------

/** Returns a client or throws UsageError; anything else (TypeError, RangeError, a non-Error) is a bug. */
function judgeCredentials(text: string): { ok: true; client: ReturnType<typeof parseCredentials> } | { ok: false; error: UsageError } {
  try {
    return { ok: true, client: parseCredentials(text, 'credentials.json') };
  } catch (error) {
    if (!(error instanceof UsageError)) throw new Error(`parseCredentials threw something other than UsageError: ${String(error)}`, { cause: error });
    return { ok: false, error };
  }
}

function expectWellFormed(outcome: ReturnType<typeof judgeCredentials>): void {
  if (outcome.ok) {
    const { client } = outcome;
    expect(['installed', 'web']).toContain(client.type);
    expect(typeof client.clientId).toBe('string');
    expect(client.clientId).not.toBe('');
    expect(typeof client.clientSecret).toBe('string');
    expect(client.clientSecret).not.toBe('');
    expect(Array.isArray(client.redirectUris) && client.redirectUris.every((uri) => typeof uri === 'string')).toBe(true);
    for (const uri of [client.authUri, client.tokenUri]) if (uri !== undefined) expect(typeof uri).toBe('string');
  } else {
    expect(outcome.error.exitCode).toBe(2);
    expect(outcome.error.message).toMatch(/\S/);
    expect(outcome.error.message).not.toContain('\n');
  }
}

/** Near-valid client files, so the properties reach every field check, not only "not JSON". */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const fieldValue = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: anyJson },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.string(), anyJson), { maxLength: 3 }) },
  {
    weight: 2,
    arbitrary: fc.array(
      fc.oneof(
        fc.constantFrom('http://localhost', 'http://127.0.0.1:8085/cb', 'http://localhost:1/x?y', 'https://127.0.0.1:9/cb', 'http://127.0.0.1:99999/cb', 'http://[::1]:80/', 'urn:ietf:wg:oauth:2.0:oob', 'http://127.0.0.1:0/', 'http://localhost:80#f'),
        fc.webUrl(),
        fc.string(),
      ),
      { maxLength: 4 },
    ),
  },
);
const secret = b64url.map((tail) => `GOCSPX-canary-${tail}`);
const section = fc.record(
  {
    client_id: fieldValue,
    client_secret: fc.oneof(secret, fieldValue),
    auth_uri: fieldValue,
    token_uri: fieldValue,
    redirect_uris: fieldValue,
    project_id: fieldValue,
  },
  { requiredKeys: [] },
);
const clientFile = fc.oneof(
  fc.record({ installed: fc.oneof({ weight: 4, arbitrary: section }, { weight: 1, arbitrary: anyJson }) }),
  fc.record({ web: fc.oneof({ weight: 4, arbitrary: section }, { weight: 1, arbitrary: anyJson }) }),
  fc.record({ installed: section, web: section }),
  fc.record({ type: fc.constantFrom('service_account', 'authorized_user', 'external_account', ''), installed: section }, { requiredKeys: ['type'] }),
  fc.record({ refresh_token: fc.string(), web: section }, { requiredKeys: ['refresh_token'] }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', 'installed', 'web', 'type', 'hasOwnProperty'), fc.oneof(section, anyJson)),
);

describe('parseCredentials, on anything at all', () => {
  it('arbitrary JSON values: a client or a UsageError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => expectWellFormed(judgeCredentials(JSON.stringify(value) ?? 'null'))),
      runs(1500),
    );
  });

  it('near-valid client files: a well-formed client or a UsageError that never quotes the secret', () => {
    fc.assert(
      fc.property(clientFile, (file) => {
        const text = JSON.stringify(file);
        const outcome = judgeCredentials(text);
        expectWellFormed(outcome);
        if (!outcome.ok) {
          for (const match of text.matchAll(/GOCSPX-canary-[A-Za-z0-9_-]+/g)) expect(outcome.error.message).not.toContain(match[0]);
        }
      }),
      runs(3000),
    );
  });

  it('arbitrary strings and bytes: a client or a UsageError', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...'{}[]":,\\ \t\n0123456789-+.eEtruefalsn'), maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      clientFile.map((file) => JSON.stringify(file)).chain((text) =>
        fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut)),
      ),
      clientFile.map((file) => '\uFEFF' + JSON.stringify(file)),
    );
    fc.assert(
      fc.property(texts, (text) => expectWellFormed(judgeCredentials(text))),
      runs(3000),
    );
  });

  it('pathological inputs: very deep nesting, a huge string, a lone surrogate', () => {
    for (const text of [
      '['.repeat(200_000) + ']'.repeat(200_000),
      '{"installed":'.repeat(50_000) + '1' + '}'.repeat(50_000),
      JSON.stringify({ installed: { client_id: 'x'.repeat(5_000_000), client_secret: 's' } }),
      '{"installed":{"client_id":"\uD800","client_secret":"\uDFFF"}}',
      '{"web":{"client_id":"a","client_secret":"b","redirect_uris":["http://127.0.0.1:8085/%zz"]}}',
    ]) {
      expectWellFormed(judgeCredentials(text));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// parseCallback
// ---------------------------------------------------------------------------------------------

const expectedArb = fc.record({
  path: fc.constantFrom('/oauth2callback', '/cb', '/oauth2/callback'),
  state: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 43, maxLength: 43 }),
});

describe('parseCallback, on arbitrary targets', () => {
  const urlish = fc.constantFrom(...'/?&=#%+;.\\:@!$\'()*,~ \t\r\nabcstateodrSAZ09-_'.split(''));
  const targets = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: urlish, maxLength: 300 }),
    fc.string({ unit: urlish, maxLength: 300 }).map((tail) => '/' + tail),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.webPath().chain((path) => fc.webQueryParameters().map((query) => `${path}?${query}`)),
  );

  it('random targets never yield a code or an error (they cannot carry our 256-bit state)', () => {
    fc.assert(
      fc.property(targets, expectedArb, (target, expected) => {
        const callback = parseCallback(target, expected);
        expect(['rejected', 'not-found']).toContain(callback.kind);
      }),
      runs(5000),
    );
  });

  /** One query parameter, with the raw text that goes into the target and what it decodes to. */
  interface Param {
    name: string;
    value: string;
    raw: string;
  }

  /** Percent-encodes a string, sometimes more than needed; a space may become + or %20. */
  function encoded(text: string, flips: boolean[]): string {
    let out = '';
    let i = 0;
    for (const char of text) {
      const flip = flips[i++ % Math.max(1, flips.length)] ?? false;
      if (/^[A-Za-z0-9\-._~]$/.test(char) && !flip) out += char;
      else if (char === ' ') out += flip ? '%20' : '+';
      else out += encodeURIComponent(char);
    }
    return out;
  }

  const flipsArb = fc.array(fc.boolean(), { minLength: 1, maxLength: 8 });

  function paramArb(expected: { state: string }): fc.Arbitrary<Param> {
    const stateValue = fc.oneof(
      { weight: 6, arbitrary: fc.constant(expected.state) },
      { weight: 1, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constant(expected.state.slice(0, -1)) },
      { weight: 1, arbitrary: fc.constant(expected.state + 'x') },
      { weight: 1, arbitrary: fc.constant(' ' + expected.state) },
      { weight: 1, arbitrary: fc.constant(expected.state + ' ') },
      { weight: 1, arbitrary: fc.constant(expected.state.toUpperCase()) },
      { weight: 1, arbitrary: fc.constant(expected.state.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 50 }) },
    );
    const name = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('state', 'code', 'error', 'error_description', 'scope', 'authuser', 'prompt', 'hd') },
      { weight: 2, arbitrary: fc.constantFrom('State', 'STATE', 'state ', ' state', 'stat', 'states', 'code ', 'Code', 'error ', 'err') },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    );
    return fc.tuple(name, flipsArb, flipsArb).chain(([n, nameFlips, valueFlips]) => {
      const value = n === 'state' ? stateValue : fc.oneof(fc.constantFrom('', 'c0de', '4/0AX4XfWh', 'access_denied', 'a b c'), fc.string({ unit: 'grapheme', maxLength: 40 }));
      return value.map((v) => ({ name: n, value: v, raw: `${encoded(n, nameFlips)}=${encoded(v, valueFlips)}` }));
    });
  }

  function pathArb(expected: { path: string }): fc.Arbitrary<string> {
    const p = expected.path;
    const last = p.slice(p.lastIndexOf('/') + 1);
    return fc.oneof(
      { weight: 10, arbitrary: fc.constant(p) },
      {
        weight: 6,
        arbitrary: fc.constantFrom(
          p + '/',
          p.toUpperCase(),
          '/.' + p,
          '/x/..' + p,
          p.slice(0, -last.length) + './' + last,
          '/' + p,
          '/\\evil.example' + p,
          '\\' + p.slice(1),
          p.replace(/[a-z]/, (c) => '%' + c.charCodeAt(0).toString(16)),
          p + '%2F',
          p + ';x',
          p + '#frag',
          p.slice(0, 2) + '\t' + p.slice(2),
          p + '\n',
          ' ' + p,
          'http://127.0.0.1' + p,
          'http://127.0.0.1:8080' + p,
          '*',
          '',
        ),
      },
      { weight: 1, arbitrary: fc.webPath() },
    );
  }

  const callbackCase = expectedArb.chain((expected) =>
    fc.record({
      expected: fc.constant(expected),
      path: pathArb(expected),
      params: fc.array(paramArb(expected), { maxLength: 6 }),
      junk: fc.constantFrom('', '&', '&&', '&=', '&=x'),
      noQuestionMark: fc.boolean(),
    }),
  );

  it('yields a code or an error only on the exact path with exactly one state equal to ours', () => {
    fc.assert(
      fc.property(callbackCase, ({ expected, path, params, junk, noQuestionMark }) => {
        const query = params.map((param) => param.raw).join('&') + junk;
        const target = noQuestionMark && query === '' ? path : `${path}?${query}`;
        const named = (name: string) => params.filter((param) => param.name === name);
        const states = named('state');
        const pathExact = path === expected.path;
        const stateOk = states.length === 1 && states[0]?.value === expected.state;
        const callback = parseCallback(target, expected);

        if (callback.kind === 'code' || callback.kind === 'error') {
          expect(pathExact, `accepted ${JSON.stringify(target)} off the callback path`).toBe(true);
          expect(stateOk, `accepted ${JSON.stringify(target)} without exactly our state`).toBe(true);
        }
        if (!pathExact) expect(callback.kind).toBe('not-found');
        if (pathExact && !stateOk) expect(callback.kind).toBe('rejected');

        // And the right callback is not turned away.
        const codes = named('code');
        const errors = named('error');
        if (pathExact && stateOk && errors.length === 0 && codes.length === 1 && codes[0]?.value) {
          expect(callback).toMatchObject({ kind: 'code', code: codes[0].value });
        }
        if (pathExact && stateOk && errors.length === 1) {
          expect(callback).toMatchObject({ kind: 'error', error: errors[0]?.value });
        }
      }),
      runs(5000),
    );
  });
});
