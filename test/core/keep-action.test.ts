import { describe, expect, it } from 'vitest';
import { parseKeepAction } from '../../src/core/keep-action.js';
import { usageMessage } from '../helpers/usage.js';

describe('--if-unwritable', () => {
  it('defaults to asking on a terminal and to a file beside the output elsewhere', () => {
    expect(parseKeepAction(undefined, true)).toBe('ask');
    expect(parseKeepAction(undefined, false)).toBe('beside');
    for (const action of ['beside', 'stdout', 'revoke'] as const) {
      expect(parseKeepAction(action, false)).toBe(action);
      expect(parseKeepAction(action, true)).toBe(action);
    }
    expect(parseKeepAction('ask', true)).toBe('ask');
  });

  it('refuses another word, and ask with no terminal, each with its own message', () => {
    expect(usageMessage(() => parseKeepAction('keep', true))).toBe('--if-unwritable must be one of: ask, beside, stdout, revoke.');
    expect(usageMessage(() => parseKeepAction('', false))).toBe('--if-unwritable must be one of: ask, beside, stdout, revoke.');
    expect(usageMessage(() => parseKeepAction('ask', false))).toBe('--if-unwritable ask needs a terminal to ask on. Use beside, stdout or revoke.');
  });
});
