/**
 * revoke names the token's source, a path the person or a file gave: on the terminal's question
 * and in every line, it can neither drive the terminal nor reorder the text (review suspicions).
 */
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { neutralise } from '../../src/core/terminal.js';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintTokenFile } from '../helpers/mint.js';
import { runOnTerminal } from '../helpers/pty.js';

const h = useEmulatorHarness();
const terminals: ReturnType<typeof runOnTerminal>[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
});

/** A token.json under a name that sets the window title and clears the screen, if printed raw. */
const HOSTILE_NAME = 'tok\u001b]0;owned\u0007\u001b[2Jen.json';
const ARABIC_LETTER_MARK = '\u061c';

async function mintAs(name: string): Promise<void> {
  await mintTokenFile(h.emulator, h.workspace.dir);
  renameSync(join(h.workspace.dir, 'token.json'), join(h.workspace.dir, name));
}

describe('the source revoke names', () => {
  it('is neutralised in the question on a terminal: no title change, no cleared screen', async () => {
    await mintAs(HOSTILE_NAME);
    const terminal = runOnTerminal(['revoke', '--token-file', HOSTILE_NAME], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    terminals.push(terminal);
    await terminal.waitFor(/Revoke the refresh token from tok/);
    terminal.type('\r');
    const result = await terminal.exit;
    expect(result.code).toBe(1);
    expect(result.screen).toMatch(/Nothing was revoked/);
    expect(terminal.raw()).not.toContain('\u001b]0;owned');
    expect(terminal.raw()).not.toContain('\u001b[2J');
  });

  it('loses the Arabic letter mark (U+061C), a bidi control, in every line off a terminal', async () => {
    expect(neutralise(`a${ARABIC_LETTER_MARK}b`)).toBe('a b');
    const name = `tok${ARABIC_LETTER_MARK}en.json`;
    await mintAs(name);
    const result = await runInProcessToEnd(['revoke', '--token-file', name], { cwd: h.workspace.dir, env: { GMAIL_TOKEN_EMULATOR_HOST: h.emulator.hostPort } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Revoked the refresh token from tok en\.json/);
    expect(result.stderr).not.toContain(ARABIC_LETTER_MARK);
  });
});
