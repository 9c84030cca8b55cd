import { describe, expect, it } from 'vitest';
import { escapeControls, neutralise, shown } from '../../src/core/terminal.js';

/** Every character the terminal must never receive as it is, listed by hand from terminal.ts's doc. */
const UNSAFE_RANGES: [number, number][] = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x61c, 0x61c],
  [0x200e, 0x200f],
  [0x2028, 0x2029],
  [0x202a, 0x202e],
  [0x2066, 0x2069],
];
const isUnsafe = (code: number) => UNSAFE_RANGES.some(([low, high]) => code >= low && code <= high);

describe('the neutraliser, character by character', () => {
  it('turns each unsafe character of the Basic Multilingual Plane into a space and keeps every other one', () => {
    const wrong: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const character = String.fromCharCode(code);
      const expected = isUnsafe(code) ? 'a b' : `a${character}b`;
      if (neutralise(`a${character}b`) !== expected) wrong.push(code.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('makes a run of them one space, and every run in the text', () => {
    expect(neutralise('error\u001b]0;owned\u0007\r\n\u202eforged\u009b31m')).toBe('error ]0;owned forged 31m');
    expect(neutralise('\r\n\r\n')).toBe(' ');
    expect(neutralise('plain text')).toBe('plain text');
  });
});

describe('the escapes shown for what the person typed', () => {
  it('shows each unsafe character as \\xNN below U+0100 and \\uNNNN above, and nothing else', () => {
    expect(escapeControls('\u0000\u0007\u001b\u007f\u009b')).toBe('\\x00\\x07\\x1b\\x7f\\x9b');
    expect(escapeControls('\u061c\u200e\u2028\u202e\u2069')).toBe('\\u061c\\u200e\\u2028\\u202e\\u2069');
    expect(escapeControls('a\u001bb\u001bc')).toBe('a\\x1bb\\x1bc');
    expect(escapeControls('plain ÿ Ā text')).toBe('plain ÿ Ā text');
  });

  it('quotes a value, escaping its backslashes and quotes first so the escapes cannot be forged', () => {
    expect(shown('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(shown('\\x1b\u001b')).toBe('"\\\\x1b\\x1b"');
    expect(shown('"\\"')).toBe('"\\"\\\\\\""');
  });
});
