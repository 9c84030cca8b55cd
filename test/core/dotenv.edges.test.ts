import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { mergeDotenv } from '../../src/core/dotenv-merge.js';
import { assignments, dotenvValue, envLine, parseDotenv } from '../../src/core/dotenv.js';
import { UsageError } from '../../src/core/errors.js';

describe('the .env reader and merge, exactly', () => {
  it('expands \\n and \\r only inside double quotes, and strips only matching quotes around the whole value', () => {
    expect(parseDotenv('A="x\\ny\\rz"\nB=\'x\\ny\'\nC=`x\\ny`\nD="x\'\nE=\'x\' # c\nF=x"y"')).toEqual(
      new Map([
        ['A', 'x\ny\rz'],
        ['B', 'x\\ny'],
        ['C', 'x\\ny'],
        ['D', '"x\''],
        ['E', 'x'],
        ['F', 'x"y"'],
      ]),
    );
  });

  it('strips quotes only when they open and close the whole value, as dotenv does', () => {
    expect(parseDotenv("Q='a'b'c")).toEqual(new Map([['Q', "'a'b'c"]]));
    // A backtick after other characters opens no multi-line value.
    expect(parseDotenv('A=x`a\nb`\n')).toEqual(new Map([['A', 'x`a']]));
  });

  it('refuses an update that would change the value another line gives a key, even with no key lost', () => {
    // After the update, A's bare value runs over U+2028 into the second NEXT=1, which NEXT=1 above still sets.
    expect(() => mergeDotenv('NEXT=1\nA=old # c\u2028NEXT=1\n', [['A', 'new']])).toThrow(/^The \.env cannot be updated/);
  });

  it('keeps export on the line it updates, and updates in place when every key is there', () => {
    expect(mergeDotenv('export A=old\nB=1\n', [['A', 'new']])).toBe('export A=new\nB=1\n');
    expect(mergeDotenv('  export   A=old\n', [['A', 'new']])).toBe('export A=new\n');
    expect(mergeDotenv('exported_A=old\nA=1', [['A', 'new']])).toBe('exported_A=old\nA=new');
    expect(mergeDotenv('A=1\nA=2\n', [['A', 'new']])).toBe('A=new\nA=new\n');
  });

  it('updates several keys when one of them spans lines, and reads `export` only at the start of a line', () => {
    expect(mergeDotenv('A="x\ny"\nB=old\nC=1\n', [['A', 'a'], ['B', 'b']])).toBe('A=a\nB=b\nC=1\n');
    expect(mergeDotenv('A=old # export me\n', [['A', 'new']])).toBe('A=new\n');
  });

  it('prefers single quotes, which python-dotenv reads the same, over backticks', () => {
    expect(dotenvValue('K', 'a\\b')).toBe("'a\\b'");
    expect(dotenvValue('K', 'say "hi" \\o/')).toBe(`'say "hi" \\o/'`);
    expect(dotenvValue('K', `it's "x" \\ ok`)).toBe(`\`it's "x" \\ ok\``);
  });

  it('appends what is missing after a line end, and a blank line after a last `NAME:` line', () => {
    expect(mergeDotenv('B=1', [['A', 'new']])).toBe('B=1\nA=new\n');
    expect(mergeDotenv('B=1\r\nC=2', [['A', 'new']])).toBe('B=1\r\nC=2\r\nA=new\r\n');
    expect(mergeDotenv('B:', [['A', 'new']])).toBe('B:\n\nA=new\n');
  });

  it('refuses, with the reason, a file whose other keys it would change', () => {
    // U+2028 ends a line for dotenv's regex, but a bare value runs over it: NEXT would be swallowed.
    const swallowing = 'A=old # pasted from a web page\u2028NEXT=1\n';
    expect(() => mergeDotenv(swallowing, [['A', 'new']])).toThrow(/^The \.env cannot be updated so that dotenv still reads every other key as before/);
    expect(() => mergeDotenv(swallowing, [['A', 'new']])).toThrow(UsageError);
  });
});

describe('the .env update, on bytes that are not UTF-8', () => {
  it('cuts lines only at a whole U+2028 (E2 80 A8), never at a stray 80 A8 after another byte', () => {
    const entry: [string, string] = ['GMAIL_API_REFRESH_TOKEN', '1//0new'];
    const before = Buffer.concat([Buffer.from('A=x'), Buffer.from([0x80, 0xa8]), Buffer.from('\nGMAIL_API_REFRESH_TOKEN=old\nB=y\n')]);
    const after = Buffer.concat([Buffer.from('A=x'), Buffer.from([0x80, 0xa8]), Buffer.from(`\n${envLine(entry)}\nB=y\n`)]);
    expect(mergeDotenv(before, [entry]).equals(after)).toBe(true);
  });
});

describe('.env lines broken by U+2028 and U+2029, which end a line for dotenv but not for a person', () => {
  it("a line start after either of them unquotes like dotenv's own regex does", () => {
    for (const text of ["A=a\u2028'b'", 'A=a\u2029"b"\u2029c', 'A=a\u2028`b`\u2029\'c', 'A=a\u2028b\'', 'A=x\u2029\u2028A\u2029"  x"', "A=`\u2028'x \u2028'\u2029' \u2029"]) {
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

describe('parseDotenv reads as dotenv does where lines end in CR, U+2028 or U+2029', () => {
  const texts = [
    "A='x\ry'\nB=1\n",
    'A="x\u2028"y"\u2028B=2\n',
    "A='one\u2029'two'\u2029C=3\n",
    'A=`q\rq`\r\nB=`\u2028`\n',
    "A='\n'\nB='\r'\nC='\u2028'\nD='\u2029'\n",
    "X=1\u2028Y=2\u2029Z=3\rW=4\n",
    "\n\n\u2028\u2029A=1",
    'A="a"\u2028B="b"',
  ];
  it.each(texts)('%j', (text) => {
    expect(Object.fromEntries(parseDotenv(text))).toEqual(dotenv.parse(text));
  });
});
