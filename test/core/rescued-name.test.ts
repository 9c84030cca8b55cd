import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rescuedName } from '../../src/core/rescued-name.js';

describe('rescuedName', () => {
  // Beside the output, with its extension kept last, so `*.json` and `.env*` ignore lines catch it.
  it('puts the random part before the extension, in the same folder', () => {
    expect(rescuedName(join('app', 'token.json'), '1a2b3c')).toBe(join('app', 'token.rescued-1a2b3c.json'));
    expect(rescuedName(join('app', '.env'), '1a2b3c')).toBe(join('app', '.env.rescued-1a2b3c'));
    expect(rescuedName('secrets.prod.env', 'ff')).toBe('secrets.prod.rescued-ff.env');
    expect(rescuedName('token', 'ff')).toBe('token.rescued-ff');
  });
});
