import { describe, expect, it } from 'vitest';
import { fileProtection } from '../../src/core/file-protection.js';

describe('fileProtection', () => {
  it('claims mode 0600 where files have modes, and on Windows only what the folder allows', () => {
    for (const platform of ['linux', 'darwin', 'freebsd'] as const) expect(fileProtection(platform)).toBe('mode 0600');
    expect(fileProtection('win32')).toBe("readable by whoever its folder's permissions allow: Windows has no file modes");
  });
});
