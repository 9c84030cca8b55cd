import { describe, expect, it } from 'vitest';
import { printable } from '../../src/core/printable.js';

describe('text from the network, made printable', () => {
  it('is neutralised and cut at 200 characters, or at the length asked; anything not a string is nothing', () => {
    expect(printable('x'.repeat(250))).toBe('x'.repeat(200));
    expect(printable('a\r\nb', 2)).toBe('a ');
    expect(printable('ok')).toBe('ok');
    for (const value of [undefined, null, 42, { message: 'x' }]) expect(printable(value)).toBeUndefined();
  });
});
