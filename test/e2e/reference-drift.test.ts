import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectHelp, commandsOf, REFERENCE, render, splice } from '../../scripts/reference.mjs';

/**
 * docs/reference.md's command blocks are the built CLI's own --help: this fails when an option or
 * a help line changes without `npm run docs:reference`.
 */
let helps: [string, string][];
beforeAll(async () => {
  helps = (await collectHelp()) as [string, string][];
});

describe('docs/reference.md and --help', () => {
  it('holds every command\'s --help exactly as the built CLI prints it', () => {
    const document = readFileSync(REFERENCE, 'utf8');
    expect(splice(document, render(helps))).toBe(document);
  });

  it('covers every command the top-level help lists', () => {
    const document = readFileSync(REFERENCE, 'utf8');
    const commands = commandsOf(helps[0]?.[1] ?? '');
    expect(commands).toEqual(expect.arrayContaining(['mint', 'check', 'access-token', 'revoke', 'demo', 'emulator']));
    for (const command of commands) expect(document).toContain(`### \`gmail-token ${command}\`\n\n\`\`\`text\nUsage: gmail-token ${command} [options]`);
  });

  it('would notice one changed option line', () => {
    const document = readFileSync(REFERENCE, 'utf8');
    const drifted = document.replace('--no-cache', '--no-cache-at-all');
    expect(drifted).not.toBe(document);
    expect(splice(drifted, render(helps))).not.toBe(drifted);
  });
});
