import { describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';

/** The client options win over a stored client (SPEC, docs/reference.md); the help said the opposite. */
describe('check and access-token help for the client options', () => {
  it.each(['check', 'access-token'])('%s --help says -c, --client-id and --client-secret override a stored client', async (command) => {
    const result = await runInProcessToEnd([command, '--help']);
    expect(result.code).toBe(0);
    const help = result.stdout.replace(/\s+/g, ' ');
    for (const option of ['-c, --credentials <file>', '--client-id <id>', '--client-secret <secret>']) {
      expect(help).toMatch(new RegExp(`${option} [^-]*, overriding one stored with the token `));
    }
    expect(help).not.toMatch(/does not carry/);
  });
});
