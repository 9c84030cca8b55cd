/**
 * Each file of the package carries its own copy of src/core/errors.ts (issue 23): an error made
 * by one copy is judged by `instanceof` in another. Two module instances stand for two files.
 */
import { describe, expect, it } from 'vitest';
import * as here from '../../src/core/errors.js';

// A query makes Vite load the same file as a second, separate module, as a second bundle would.
const secondCopy = '../../src/core/errors.js?another-bundle';
const other = (await import(/* @vite-ignore */ secondCopy)) as typeof here;

describe('an error made by another copy of the error classes', () => {
  it('is a second copy indeed: the classes differ', () => {
    expect(other.UsageError).not.toBe(here.UsageError);
  });

  it('is still recognised as ours, with its own class and exit code', () => {
    const error = new other.UsageError('bad flag');
    expect(error instanceof here.GmailTokenError).toBe(true);
    expect(error instanceof here.UsageError).toBe(true);
    expect(error.exitCode).toBe(here.ExitCode.usage);
  });

  it('is not taken for one of our other classes', () => {
    const error = new other.FlowError('denied');
    expect(error instanceof here.FlowError).toBe(true);
    expect(error instanceof here.UsageError).toBe(false);
    expect(error instanceof here.InterruptedError).toBe(false);
  });

  it('knows subclasses declared elsewhere by name, up the chain', () => {
    class WriteFailedError extends other.FlowError {}
    const error = new WriteFailedError('disk full');
    expect(error instanceof here.FlowError).toBe(true);
    expect(error instanceof here.GmailTokenError).toBe(true);
    expect(error instanceof Error).toBe(true);
  });

  it('does not take errors that merely look alike', () => {
    const lookalike = Object.assign(new Error('x'), { exitCode: 2, name: 'UsageError' });
    expect(lookalike instanceof here.UsageError).toBe(false);
    for (const value of [null, 'UsageError', { exitCode: 2 }] as unknown[]) expect(value instanceof here.GmailTokenError).toBe(false);
  });
});

describe('instanceof with what is not an object', () => {
  it('is false for a thrown string, number, undefined or null, and for an Error of another kind', () => {
    for (const value of ['UsageError', 2, undefined, null, new Error('UsageError')]) {
      expect(value instanceof here.GmailTokenError, String(value)).toBe(false);
      expect(value instanceof here.UsageError, String(value)).toBe(false);
    }
  });
});
