import dotenv from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dotenvValue, envLine, parseDotenv, type EnvEntries } from '../../src/core/dotenv.js';
import { mergeDotenv } from '../../src/core/dotenv-merge.js';
import { UsageError } from '../../src/core/errors.js';
import { envEntries } from '../../src/core/output.js';
import { b64url, runs } from '../helpers/properties.js';

/** The oracle: the real dotenv package's `parse`, which SPEC names as the reader to satisfy. */
const readByDotenv = (text: string): Map<string, string> => new Map(Object.entries(dotenv.parse(text)));

/** Text made of the characters that matter to dotenv's grammar (no letters of `__proto__`). */
const dotenvish = fc.string({ unit: fc.constantFrom(...'AB_x.-=: #\'"`\\n\n\r\t\u2028'.split('')), maxLength: 80 });

describe('the .env reader', () => {
  it('reads any text exactly as dotenv does, multi-line quoted values included', () => {
    fc.assert(
      fc.property(dotenvish, (text) => {
        expect(parseDotenv(text)).toEqual(readByDotenv(text));
      }),
      runs(5000),
    );
  });
});

describe('the .env writer', () => {
  it('writes any value so that dotenv reads it back unchanged, or refuses it with exit 2', () => {
    let [tried, refused] = [0, 0];
    const value = fc.oneof(
      fc.string({ unit: fc.constantFrom(...[...' \t\n\r#\'"`\\=$aZ9é\u2028😀']), maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
    fc.assert(
      fc.property(value, (v) => {
        tried++;
        let line: string;
        try {
          line = envLine(['KEY', v]);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as UsageError).message).toMatch(/^KEY holds characters that no dotenv quoting keeps as they are\./);
          expect((error as UsageError).message).not.toContain(v || '\u0000');
          // Without a backslash, '…' or "…" keeps any value unless it holds a " and a ' (or a CR, which only "…" escapes).
          expect(/\\/.test(v) || (v.includes('"') && /['\r]/.test(v)), `refused ${JSON.stringify(v)}`).toBe(true);
          refused++;
          return;
        }
        expect(readByDotenv(`${line}\n`).get('KEY')).toBe(v);
        expect(readByDotenv(`A=1\n${line}\nB=2`)).toEqual(new Map([['A', '1'], ['KEY', v], ['B', '2']]));
      }),
      runs(5000),
    );
    // A writer that refused everything would pass each case above.
    expect(refused).toBeLessThan(tried / 2);
  });

  it('writes bare, then single, then double quotes, and refuses what no quoting keeps', () => {
    expect(dotenvValue('K', 'GOCSPX-abc_1')).toBe('GOCSPX-abc_1');
    expect(dotenvValue('K', 'has space # hash')).toBe("'has space # hash'");
    expect(dotenvValue('K', "it's\ntwo lines")).toBe('"it\'s\\ntwo lines"');
    expect(() => dotenvValue('K', `'"\`x\\y`)).toThrow(UsageError);
    expect(() => dotenvValue('K', '"ends in a backslash\\')).toThrow(/K holds characters.*-f json or -f shell/);
  });
});

// ---------------------------------------------------------------------------------------------
// Updating a realistic .env in place
// ---------------------------------------------------------------------------------------------

interface EnvFile {
  /** Each line with the key it assigns when it is a one-line assignment. */
  lines: { text: string; eol: '\n' | '\r\n'; assigns?: string }[];
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

interface Group {
  texts: string[];
  /** The key a one-line group assigns. */
  assigns?: string;
}

function groupArb(prefix: string): fc.Arbitrary<Group> {
  const ours = fc.constantFrom(...KEY_SUFFIXES.map((suffix) => prefix + suffix));
  const nearMiss = fc.constantFrom(
    ...KEY_SUFFIXES.flatMap((suffix) => [`${prefix}${suffix}X`, `X${prefix}${suffix}`, `${prefix}${suffix}_2`, `${prefix}${suffix}.OLD`]),
  );
  const assignment = (name: fc.Arbitrary<string>) =>
    fc
      .tuple(fc.constantFrom('', '  ', '\t'), fc.constantFrom('', 'export ', 'export  '), name, fc.constantFrom('=', ' =', ' = ', '= '), quotedValue)
      .map(([indent, exported, n, eq, value]): Group => ({ texts: [`${indent}${exported}${n}${eq}${value}`], assigns: n }));
  const pemLine = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('')), minLength: 1, maxLength: 64 });
  // Inside another key's multi-line value, a line that reads like one of ours is not an assignment.
  const innerLine = fc.oneof(pemLine, ours.map((name) => `${name}=inside-another-value`));
  return fc.oneof(
    { weight: 3, arbitrary: assignment(fc.constantFrom(...OTHER_NAMES)) },
    { weight: 3, arbitrary: assignment(ours) },
    { weight: 2, arbitrary: assignment(nearMiss) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('#', '# ', '  #'), fc.oneof(anyLineValue, ours.map((k) => `${k}=commented-out`))).map(([hash, text]): Group => ({ texts: [hash + text] })) },
    { weight: 2, arbitrary: fc.constantFrom<Group>({ texts: [''] }, { texts: ['  '] }, { texts: ['\t'] }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('"', "'", '`'), fc.array(innerLine, { minLength: 1, maxLength: 3 }))
        .map(([quote, body]): Group => ({ texts: [`PRIVATE_KEY=${quote}-----BEGIN PRIVATE KEY-----`, ...body, `-----END PRIVATE KEY-----${quote}`] })),
    },
    {
      weight: 1,
      // Not starting with a quote: after `NAME=` dotenv would take such a line as NAME's value,
      // a spill no reading of the values shows when both are empty.
      arbitrary: fc
        .string({ unit: fc.constantFrom(...'abc =#\'"'.split('')), maxLength: 20 })
        .filter((text) => !/^\s*['"]/.test(text))
        .map((text): Group => ({ texts: [text] })),
    },
  );
}

const envFileCase = fc.constantFrom(...PREFIXES).chain((prefix) =>
  fc.record({
    prefix: fc.constant(prefix),
    groups: fc.array(groupArb(prefix), { maxLength: 14 }),
    eolMode: fc.constantFrom('lf', 'crlf', 'mixed'),
    mixedEols: fc.array(fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'), { minLength: 1, maxLength: 20 }),
    finalNewline: fc.boolean(),
    values: fc.record({
      clientId: fc.oneof(fc.tuple(fc.nat(), b64url).map(([n, tail]) => `${n}-${tail.toLowerCase()}.apps.googleusercontent.com`), fc.constant('id with space')),
      clientSecret: fc.oneof(b64url.map((tail) => `GOCSPX-${tail}`), anyLineValue.filter((v) => v.trim() === v && v !== '' && writable(v))),
      refreshToken: fc.oneof(b64url.map((tail) => `1//0${tail}`), fc.constant(`it's "quoted" #not a comment`)),
    }),
  }),
);

function writable(value: string): boolean {
  try {
    return dotenvValue('K', value) !== undefined;
  } catch {
    return false;
  }
}

function buildFile(c: { groups: Group[]; eolMode: string; mixedEols: ('\n' | '\r\n')[]; finalNewline: boolean }): EnvFile {
  const lines = c.groups
    .flatMap((group) => group.texts.map((text) => ({ text, assigns: group.texts.length === 1 ? group.assigns : undefined })))
    .map((line, i) => ({
      ...line,
      eol: c.eolMode === 'lf' ? ('\n' as const) : c.eolMode === 'crlf' ? ('\r\n' as const) : (c.mixedEols[i % c.mixedEols.length] ?? '\n'),
    }));
  // "A\n" is one line with a final newline, not ["A", ""] without one: keep the model unambiguous.
  const finalNewline = c.finalNewline || (lines.length > 0 && lines[lines.length - 1]?.text === '');
  return { lines, finalNewline };
}

/** True when dotenv reads the file group by group: no quote opened in one group closes in another. */
function readsGroupByGroup(groups: Group[]): boolean {
  const separate = new Map<string, string>();
  // Every prefix, so a spill that a later assignment of the same key would hide still shows.
  return groups.every((group, i) => {
    for (const [name, value] of readByDotenv(group.texts.join('\n'))) separate.set(name, value);
    const whole = readByDotenv(groups.slice(0, i + 1).map((g) => g.texts.join('\n')).join('\n'));
    return whole.size === separate.size && [...separate].every(([name, value]) => whole.get(name) === value);
  });
}

/** What the update must produce when every group reads on its own: ours replaced in place, the rest appended. */
function expectedMerge(file: EnvFile, entries: EnvEntries): string {
  const ours = new Map(entries);
  const present = new Set<string>();
  const n = file.lines.length;
  let text = file.lines
    .map((line, i) => {
      const end = i < n - 1 || file.finalNewline ? line.eol : '';
      if (line.assigns === undefined || !ours.has(line.assigns)) return line.text + end;
      present.add(line.assigns);
      return (/^\s*export\s/.test(line.text) ? 'export ' : '') + envLine([line.assigns, ours.get(line.assigns) ?? '']) + end;
    })
    .join('');
  const missing = entries.filter(([name]) => !present.has(name));
  const fileEol = text.includes('\r\n') ? '\r\n' : '\n';
  if (missing.length > 0 && n > 0 && !file.finalNewline) text += fileEol;
  return text + missing.map((entry) => envLine(entry) + fileEol).join('');
}

describe('mergeDotenv, on realistic .env files', () => {
  it('keeps every other line byte for byte, updates the three keys in place, is idempotent and keeps CRLF', () => {
    fc.assert(
      fc.property(envFileCase, (c) => {
        const file = buildFile(c);
        const existing = render(file);
        const entries: EnvEntries = envEntries(c.prefix, c.values);
        const expected = expectedMerge(file, entries);
        fc.pre(readsGroupByGroup(c.groups) && readsAsMeant(existing, expected, entries));

        const merged = mergeDotenv(existing, entries);
        expect(merged).toBe(expected);
        expect(mergeDotenv(merged, entries)).toBe(merged);
        if (c.eolMode === 'crlf' && file.lines.length > 0 && (file.lines.length > 1 || file.finalNewline)) expect(merged).not.toMatch(/(^|[^\r])\n/);
        if (c.eolMode === 'lf') expect(merged.includes('\r')).toBe(existing.includes('\r'));
      }),
      runs(3000),
    );
  });

  it('on any text at all, dotenv reads the three new values and every other key as before, or the file is refused', () => {
    fc.assert(
      fc.property(dotenvish, (text) => {
        const entries: EnvEntries = [['A', 'new-a'], ['B_x', 'it is "new"'], ['x.-', 'n\\ew']];
        let merged: string;
        try {
          merged = mergeDotenv(text, entries);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          // Refused only for the reasons the message gives: a quote that may be left open, or U+2028.
          expect((error as UsageError).message).toMatch(/^The \.env cannot be updated so that dotenv still reads every other key as before \(a quote left open, or a U\+2028/);
          expect(text).toMatch(/['"`\u2028]/);
          return;
        }
        // Appending ends the last line, which may itself be read as an assignment then (`NAME:`).
        const ended = text === '' || text.endsWith('\n') ? text : text + (text.includes('\r\n') ? '\r\n' : '\n');
        expect(readsAsMeant(text, merged, entries) || readsAsMeant(ended, merged, entries)).toBe(true);
        expect(readsAsMeant(merged, mergeDotenv(merged, entries), entries)).toBe(true);
      }),
      runs(5000),
    );
  });
});

/** By the real dotenv: our keys hold the new values, every other key reads as before, none is new. */
function readsAsMeant(before: string, after: string, entries: EnvEntries): boolean {
  const ours = new Map(entries);
  const expected = new Map([...readByDotenv(before)].filter(([name]) => !ours.has(name)));
  for (const [name, value] of ours) expected.set(name, value);
  const read = readByDotenv(after);
  return read.size === expected.size && [...expected].every(([name, value]) => read.get(name) === value);
}
