import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { askLine, askYesNo } from '../../src/cli/prompts.js';
import { drawn, promptStreams } from '../helpers/prompt-streams.js';

/**
 * Every way a question's input can end (issue 19, item 3), in process: each is taken as end of
 * input, the question settles (a yes/no as no, a line as no answer) and nothing of the question is
 * left behind on the stream for the next one. Inquirer's own prompts stay pending for ever then,
 * which let the CLI drain and exit 0.
 */

const streams = promptStreams;
type Streams = ReturnType<typeof streams>;

const EVENTS = ['keypress', 'end', 'close', 'error'] as const;
const listeners = (input: PassThrough) => EVENTS.map((name) => input.listenerCount(name));

describe('a question ends as end of input', () => {
  it.each<[string, (io: Streams) => void]>([
    ['stdin closes', (io) => io.input.end()],
    ['Ctrl-D', (io) => io.input.write('\u0004')],
    ["stdin says 'end' without closing", (io) => io.input.emit('end')],
    ["stdin says 'close' without ending", (io) => io.input.emit('close')],
    // Unheard, this error would surface as an uncaught exception, which fails the test run.
    ['stdin fails with EIO (a terminal that hung up)', (io) => io.input.destroy(Object.assign(new Error('read EIO'), { code: 'EIO' }))],
  ])('when %s: a yes/no question answers no, a line question gives no answer', async (_when, end) => {
    const yesNo = streams();
    const no = askYesNo('Revoke it?', yesNo);
    await drawn(yesNo, /Revoke it\?/);
    end(yesNo);
    expect(await no).toBe(false);

    const line = streams();
    const nothing = askLine('Keep the refresh token how?', line);
    await drawn(line, /Keep the refresh token how\?/);
    end(line);
    expect(await nothing).toBeUndefined();
  });

  it('when stdin ended before the question', async () => {
    const io = streams();
    io.input.end();
    io.input.resume();
    await new Promise((resolve) => io.input.once('end', resolve));
    expect(await askYesNo('Revoke it?', io)).toBe(false);
  });

  it('when stdin was destroyed before the question, though it never ended', async () => {
    const io = streams();
    io.input.destroy();
    expect(io.input.readableEnded).toBe(false);
    expect(await askLine('Path?', io)).toBeUndefined();
  });

  it('not at other keys: a typed d, or Ctrl-A, is part of the answer', async () => {
    const io = streams();
    const answer = askLine('Name?', io);
    await drawn(io, /Name\?/);
    io.input.write('\u0001dd\r');
    expect(await answer).toBe('dd');
  });
});

describe('a question otherwise', () => {
  it('takes a typed yes, and a typed line', async () => {
    const io = streams();
    const answer = askYesNo('Revoke it?', io);
    await drawn(io, /Revoke it\?/);
    io.input.write('y\r');
    expect(await answer).toBe(true);

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

  it('Ctrl-C interrupts it', async () => {
    const io = streams();
    const answer = askYesNo('Revoke it?', io);
    await drawn(io, /Revoke it\?/);
    io.input.write('\u0003');
    await expect(answer).rejects.toBeInstanceOf(InterruptedError);
  });

  it('Enter alone answers no', async () => {
    const io = streams();
    const answer = askYesNo('Revoke it?', io);
    await drawn(io, /Revoke it\?/);
    io.input.write('\r');
    expect(await answer).toBe(false);
  });

  it('leaves the question and its answer on screen', async () => {
    const io = streams();
    const answer = askLine('Name?', io);
    await drawn(io, /Name\?/);
    io.input.write('kept\r');
    await answer;
    await new Promise((resolve) => setImmediate(resolve));
    // Inquirer erases the question's lines (ESC[2K) when asked to clear it once done.
    expect(io.shown().split('kept').at(-1)).not.toContain('\u001b[2K');
  });

  it('leaves stdin as it found it once answered: no listener piled up, its errors heard again', async () => {
    const io = streams();
    const before = listeners(io.input);
    const emit = io.input.emit;
    const answer = askLine('Name?', io);
    await drawn(io, /Name\?/);
    io.input.write('x\r');
    await answer;
    expect(listeners(io.input)).toEqual(before);
    expect(io.input.emit).toBe(emit);
  });
});

/** A terminal's stdin, whose raw-mode switch records each call, or fails as on a hung-up terminal (EIO). */
function terminal(fails: boolean) {
  const io = streams();
  const modes: boolean[] = [];
  const setRawMode = (mode: boolean) => {
    modes.push(mode);
    if (fails) throw Object.assign(new Error('setRawMode EIO'), { code: 'EIO' });
    return io.input;
  };
  const input = Object.assign(io.input, { isTTY: true, setRawMode });
  return { ...io, input, modes, setRawMode };
}

describe('raw mode on a terminal', () => {
  it('is entered for the question and left after it', async () => {
    const io = terminal(false);
    const answer = askLine('Name?', io);
    await drawn(io, /Name\?/);
    io.input.write('x\r');
    expect(await answer).toBe('x');
    expect(io.modes[0]).toBe(true);
    expect(io.modes.at(-1)).toBe(false);
    expect(io.input.setRawMode).toBe(io.setRawMode);
  });

  it('a switch that fails (a terminal that hung up) ends the question as end of input, and the switch is given back', async () => {
    const io = terminal(true);
    expect(await askLine('Name?', io)).toBeUndefined();
    expect(io.modes).toContain(true);
    expect(io.input.setRawMode).toBe(io.setRawMode);
  });
});
