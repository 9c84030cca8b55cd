import { describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';

/** A usage error is one line with its fix (SPEC), for a wrong command as for a wrong help topic. */
describe('an unknown command', () => {
  it('gmail-token nope: one line, pointing to --help, exit 2', async () => {
    const result = await runInProcessToEnd(['nope']);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: "error: unknown command 'nope' (run gmail-token --help for usage)\n" });
  });

  it('gmail-token help nope: the same line and exit 2, not the whole help', async () => {
    const result = await runInProcessToEnd(['help', 'nope']);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: "error: unknown command 'nope' (run gmail-token --help for usage)\n" });
  });

  it('gmail-token help mint and gmail-token help still show help, exit 0', async () => {
    const mint = await runInProcessToEnd(['help', 'mint']);
    expect(mint.code).toBe(0);
    expect(mint.stdout).toMatch(/^Usage: gmail-token mint \[options\]/);
    const all = await runInProcessToEnd(['help']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^Usage: gmail-token \[options\] \[command\]/);
    expect(all.stdout).toMatch(/\n {2}help \[command\] +display help for command\n/);
  });
});
