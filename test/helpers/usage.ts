import { expect } from 'vitest';
import { UsageError } from '../../src/core/errors.js';

/** The message of the UsageError (exit 2) that `run` throws; fails the test when it throws none. */
export function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error('expected a UsageError');
}
