import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';

/** The commands and options src/cli/main.ts declares, as their help shows them. */

describe('--env-file is gone', () => {
  it('check, access-token and revoke offer --token-file for both files, and no --env-file', () => {
    for (const name of ['check', 'access-token', 'revoke']) {
      const command = buildProgram().commands.find((candidate) => candidate.name() === name);
      const flags = command?.options.map((option) => option.long) ?? [];
      expect(flags).toContain('--token-file');
      expect(flags).not.toContain('--env-file');
      expect(command?.helpInformation()).toMatch(/--token-file <file>\s+a token\.json, or a \.env holding\s+<prefix>REFRESH_TOKEN/);
    }
  });
});
