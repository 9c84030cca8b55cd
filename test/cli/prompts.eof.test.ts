import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { askLine, askYesNo } from '../../src/cli/prompts.js';
import { drawn, promptStreams } from '../helpers/prompt-streams.js';

/**
 * Issue 19, item 3, in-process: the questions settle when their input ends. Inquirer's own
 * prompts stay pending for ever then, which let the CLI drain and exit 0.
 */

const streams = promptStreams;

describe('end of input at a question', () => {
  it('a yes/no question answers no when stdin closes', async () => {
    const io = streams();
    const answer = askYesNo('Revoke it?', io);
    await drawn(io, /Revoke it\?/);
    io.input.end();
    expect(await answer).toBe(false);
  });

  it('a yes/no question answers no at Ctrl-D', async () => {
    const io = streams();
    const answer = askYesNo('Overwrite it?', io);
    await drawn(io, /Overwrite it\?/);
    io.input.write('\u0004');
    expect(await answer).toBe(false);
  });

  it('a yes/no question asked of a stream that already ended answers no', async () => {
    const io = streams();
    io.input.end();
    io.input.resume();
    await new Promise((resolve) => io.input.once('end', resolve));
    expect(await askYesNo('Revoke it?', io)).toBe(false);
  });

  it('still takes a typed yes', async () => {
    const io = streams();
    const answer = askYesNo('Revoke it?', io);
    await drawn(io, /Revoke it\?/);
    io.input.write('y\r');
    expect(await answer).toBe(true);
  });

  it('a line question gives undefined (no answer) at Ctrl-D, and the typed line otherwise', async () => {
    const io = streams();
    const ended = askLine('Keep the refresh token how?', io);
    await drawn(io, /Keep the refresh token how\?/);
    io.input.write('\u0004');
    expect(await ended).toBeUndefined();

    const again = streams();
    const typed = askLine('Keep the refresh token how?', again);
    await drawn(again, /Keep the refresh token how\?/);
    again.input.write('revoke\r');
    expect(await typed).toBe('revoke');
  });

  it('a signal ends a line question with its reason', async () => {
    const io = streams();
    const controller = new AbortController();
    const asked = askLine('Keep the refresh token how?', io, controller.signal);
    await drawn(io, /Keep the refresh token how\?/);
    controller.abort(new InterruptedError('stopped'));
    await expect(asked).rejects.toThrow('stopped');
  });
});
