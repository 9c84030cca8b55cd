import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCallback } from '../src/core/consent.js';
import { parseCredentials } from '../src/core/credentials.js';
import { UsageError } from '../src/core/errors.js';
import { envEntries, envLine, mergeDotenv, type EnvEntries } from '../src/core/output.js';
import { parseDotenv } from '../src/core/stored-token.js';

/** Fixed seed per run can be replayed with FC_SEED=<n>; the default is random, as fast-check intends. */
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const runs = (numRuns: number) => ({ numRuns, ...(seed === undefined ? {} : { seed }) });

const b64url = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 1, maxLength: 60 });

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

// ---------------------------------------------------------------------------------------------
// mergeDotenv
// ---------------------------------------------------------------------------------------------

interface EnvFile {
  lines: { text: string; eol: '\n' | '\r\n' }[];
  finalNewline: boolean;
}

function render(file: EnvFile): string {
  return file.lines.map((line, i) => line.text + (i < file.lines.length - 1 || file.finalNewline ? line.eol : '')).join('');
}

const OTHER_NAMES = ['DEBUG', 'SECRET_KEY', 'DATABASE_URL', 'EMAIL_BACKEND', 'ALLOWED_HOSTS', 'django.settings', 'API-KEY', 'export'];
const PREFIXES = ['GMAIL_API_', 'MAIL_', 'x_', ''];
const KEY_SUFFIXES = ['CLIENT_ID', 'CLIENT_SECRET', 'REFRESH_TOKEN'];

const plainValue = fc.string({ unit: fc.constantFrom(...'abcXYZ019_-./:@=,+%~'.split('')), maxLength: 30 });
const anyLineValue = fc.string({ unit: fc.constantFrom(...'abc XYZ 019_-./:@=,+%~#$\'"\\`{}'.split('')), maxLength: 30 });
const quotedValue = fc.oneof(
  plainValue,
  plainValue.map((v) => `'${v}'`),
  plainValue.map((v) => `"${v}"`),
  plainValue.map((v) => `${v} # inline comment`),
  anyLineValue,
);

function lineArb(prefix: string): fc.Arbitrary<string[]> {
  const ours = fc.constantFrom(...KEY_SUFFIXES.map((suffix) => prefix + suffix));
  const nearMiss = fc.constantFrom(
    ...KEY_SUFFIXES.flatMap((suffix) => [`${prefix}${suffix}X`, `X${prefix}${suffix}`, `${prefix}${suffix}`.toLowerCase() === `${prefix}${suffix}` ? `${prefix}${suffix}_2` : `${prefix}${suffix}`.toLowerCase(), `${prefix}${suffix}.OLD`]),
  );
  const assignment = (name: fc.Arbitrary<string>) =>
    fc
      .tuple(fc.constantFrom('', '  ', '\t'), fc.constantFrom('', 'export ', 'export  '), name, fc.constantFrom('=', ' =', ' = ', '= '), quotedValue)
      .map(([indent, exported, n, eq, value]) => [`${indent}${exported}${n}${eq}${value}`]);
  return fc.oneof(
    { weight: 3, arbitrary: assignment(fc.constantFrom(...OTHER_NAMES)) },
    { weight: 3, arbitrary: assignment(ours) },
    { weight: 2, arbitrary: assignment(nearMiss) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('#', '# ', '  #'), fc.oneof(anyLineValue, ours.map((k) => `${k}=commented-out`))).map(([hash, text]) => [hash + text]) },
    { weight: 2, arbitrary: fc.constantFrom<string[]>([''], ['  '], ['\t']) },
    {
      weight: 1,
      // A multi-line double-quoted value (a PEM key, say): its inner lines are no assignments.
      arbitrary: fc
        .array(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('')), minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 3 })
        .map((body) => ['PRIVATE_KEY="-----BEGIN PRIVATE KEY-----', ...body, '-----END PRIVATE KEY-----"']),
    },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abc =#\'"'.split('')), maxLength: 20 }).map((text) => [text]) },
  );
}

const envFileCase = fc.constantFrom(...PREFIXES).chain((prefix) =>
  fc.record({
    prefix: fc.constant(prefix),
    groups: fc.array(lineArb(prefix), { maxLength: 14 }),
    eolMode: fc.constantFrom('lf', 'crlf', 'mixed'),
    mixedEols: fc.array(fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'), { minLength: 1, maxLength: 20 }),
    finalNewline: fc.boolean(),
    values: fc.record({
      clientId: fc.oneof(fc.tuple(fc.nat(), b64url).map(([n, tail]) => `${n}-${tail.toLowerCase()}.apps.googleusercontent.com`), fc.constant('id with space')),
      clientSecret: fc.oneof(b64url.map((tail) => `GOCSPX-${tail}`), anyLineValue.filter((v) => v.trim() === v && v !== '')),
      refreshToken: fc.oneof(b64url.map((tail) => `1//0${tail}`), fc.constant(`it's "quoted" \\ #not a comment`)),
    }),
  }),
);

function buildFile(c: { groups: string[][]; eolMode: string; mixedEols: ('\n' | '\r\n')[]; finalNewline: boolean }): EnvFile {
  const texts = c.groups.flat();
  const lines = texts.map((text, i) => ({
    text,
    eol: c.eolMode === 'lf' ? ('\n' as const) : c.eolMode === 'crlf' ? ('\r\n' as const) : (c.mixedEols[i % c.mixedEols.length] ?? '\n'),
  }));
  // "A\n" is one line with a final newline, not ["A", ""] without one: keep the model unambiguous.
  const finalNewline = c.finalNewline || (lines.length > 0 && lines[lines.length - 1]?.text === '');
  return { lines, finalNewline };
}

/** The name a line assigns, by the same reading dotenv (and parseDotenv) uses. */
function assigned(line: string): string | undefined {
  return /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/.exec(line)?.[1];
}

describe('mergeDotenv, on realistic .env files', () => {
  it('keeps every other line byte for byte, updates the three keys, is idempotent and keeps CRLF', () => {
    fc.assert(
      fc.property(envFileCase, (c) => {
        const file = buildFile(c);
        const existing = render(file);
        const entries: EnvEntries = envEntries(c.prefix, c.values);
        const ours = new Map(entries);
        const merged = mergeDotenv(existing, entries);

        const segments = merged.split(/(\r?\n)/);
        const contents = segments.filter((_, i) => i % 2 === 0);
        const separators = segments.filter((_, i) => i % 2 === 1);
        const n = file.lines.length;
        const fileEol = existing.includes('\r\n') ? '\r\n' : '\n';
        const present = new Set<string>();

        // 1. Line by line: other lines untouched, ours replaced in place (keeping `export`).
        file.lines.forEach((line, i) => {
          const name = assigned(line.text);
          if (name !== undefined && ours.has(name)) {
            present.add(name);
            const exported = /^\s*export\s/.test(line.text) ? 'export ' : '';
            expect(contents[i]).toBe(exported + envLine([name, ours.get(name) ?? '']));
          } else {
            expect(contents[i], `line ${i} changed`).toBe(line.text);
          }
          if (i < n - 1 || file.finalNewline) expect(separators[i], `line end ${i} changed`).toBe(line.eol);
        });

        // 2. Keys that were missing are appended, in order, with the file's own line ends.
        const missing = entries.filter(([name]) => !present.has(name));
        if (n > 0 && !file.finalNewline && missing.length > 0) expect(separators[n - 1]).toBe(fileEol);
        const start = n === 0 ? 0 : n;
        expect(contents.slice(start, start + missing.length)).toEqual(missing.map((entry) => envLine(entry)));
        for (let i = start; i < start + missing.length; i++) expect(separators[i]).toBe(fileEol);
        const expectedPieces = start + missing.length + (missing.length > 0 || file.finalNewline ? 1 : 0) || 1;
        expect(contents).toHaveLength(expectedPieces);
        if (contents.length > start + missing.length) expect(contents[contents.length - 1]).toBe('');

        // 3. The three values read back exactly; every other key keeps its value.
        const read = parseDotenv(merged);
        for (const [name, value] of entries) expect(read.get(name)).toBe(value);
        const before = parseDotenv(existing);
        for (const [name, value] of before) if (!ours.has(name)) expect(read.get(name)).toBe(value);

        // 4. Idempotent.
        expect(mergeDotenv(merged, entries)).toBe(merged);

        // 5. A CRLF file stays CRLF: no bare LF appears.
        if (c.eolMode === 'crlf' && n > 0 && (n > 1 || file.finalNewline)) expect(merged).not.toMatch(/(^|[^\r])\n/);
        // And an LF file gets no CR.
        if (c.eolMode === 'lf') expect(merged.includes('\r')).toBe(existing.includes('\r'));
      }),
      runs(3000),
    );
  });
});
