import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandsOf, REFERENCE, render, splice } from '../../scripts/reference.mjs';
import { runInProcessToEnd } from '../helpers/run-cli.js';

/**
 * Every command's --help, printed by the program in this process, is what docs/reference.md shows
 * (test/e2e/reference-drift checks the built bundle the same way): so each description and option
 * line of src/cli/main.ts is checked where mutation testing can see it.
 */
async function helpOf(command: string): Promise<string> {
  const { code, stdout, stderr } = await runInProcessToEnd([...(command ? [command] : []), '--help']);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return stdout.trimEnd();
}

describe('--help in process', () => {
  it("is docs/reference.md's block for the program and for every command it lists", async () => {
    const top = await helpOf('');
    const commands = commandsOf(top);
    expect(commands).toEqual(['mint', 'revoke', 'check', 'access-token', 'emulator', 'demo']);
    const helps = [['', top], ...(await Promise.all(commands.map(async (name: string) => [name, await helpOf(name)])))];
    const document = readFileSync(REFERENCE, 'utf8');
    expect(splice(document, render(helps))).toBe(document);
  });
});
