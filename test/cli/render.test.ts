import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/core/errors.js';
import { colourLevel, renderFor } from '../../src/cli/render.js';
import { fakeIo } from '../helpers/fake-io.js';

const terminal = { stdin: true, stdout: true, stderr: true };
const pipe = { stdin: false, stdout: false, stderr: false };
const level = (env: Record<string, string | undefined>, isTTY = terminal, platform: NodeJS.Platform = 'linux') => colourLevel({ env, isTTY, platform });

describe('colourLevel', () => {
  it('FORCE_COLOR decides first: empty, true or a positive number paint, anything else does not', () => {
    for (const forced of ['', 'true', '1', '3']) expect(level({ FORCE_COLOR: forced, NO_COLOR: '1' }, pipe), forced).toBe(1);
    for (const forced of ['0', 'false', 'no', '-1']) expect(level({ FORCE_COLOR: forced, TERM: 'xterm' }), forced).toBe(0);
  });

  it('NO_COLOR, CI, a pipe or TERM=dumb paint nothing', () => {
    expect(level({ TERM: 'xterm', NO_COLOR: '1' })).toBe(0);
    for (const ci of ['true', '1', '']) expect(level({ TERM: 'xterm', COLORTERM: 'truecolor', CI: ci }), ci).toBe(0);
    expect(level({ CI: 'true' }, terminal, 'win32')).toBe(0);
    expect(level({ FORCE_COLOR: '1', CI: 'true' })).toBe(1);
    expect(level({ TERM: 'xterm' }, pipe)).toBe(0);
    expect(level({ TERM: 'dumb', COLORTERM: 'truecolor' })).toBe(0);
    expect(level({ TERM: 'dumb' }, terminal, 'win32')).toBe(0);
  });

  it('on a terminal: Windows, COLORTERM or a colour TERM paint', () => {
    expect(level({}, terminal, 'win32')).toBe(1);
    expect(level({ COLORTERM: '' })).toBe(1);
    for (const term of ['screen-256color', 'xterm', 'vt100', 'vt220', 'rxvt-unicode', 'st-color', 'ansi', 'cygwin', 'linux', 'XTERM']) expect(level({ TERM: term }), term).toBe(1);
    for (const term of ['', 'unknown', 'my-vt100', 'my-xterm', 'my-screen', 'my-rxvt', 'my-vt220']) expect(level({ TERM: term }), term).toBe(0);
  });
});

/** A stdout whose writes fail with `code`, as a closed pipe's do. */
function failingStdout(code: string | undefined): Writable {
  return new Writable({
    write: (_chunk, _encoding, done) => done(Object.assign(new Error('write failed'), code === undefined ? { name: 'AbortError' } : { code })),
  });
}

describe('emit', () => {
  const renderTo = (stdout: Writable) => renderFor(fakeIo({ stdout }).io);

  it('says a reader that went away closed stdout, and keeps saying so for the next write', async () => {
    const render = renderTo(failingStdout('EPIPE'));
    const first = render.emit('1//secret\n');
    await expect(first).rejects.toBeInstanceOf(FlowError);
    await expect(first).rejects.toThrow(/^stdout could not be written \(EPIPE: whatever read it has closed it\)$/);
    await expect(render.emit('again\n')).rejects.toThrow(/^stdout could not be written \(EPIPE: whatever read it has closed it\)$/);
  });

  it("names another failure by its code, else by the error's name", async () => {
    await expect(renderTo(failingStdout('EIO')).emit('x\n')).rejects.toThrow(/^stdout could not be written \(EIO\)$/);
    await expect(renderTo(failingStdout(undefined)).emit('x\n')).rejects.toThrow(/^stdout could not be written \(AbortError\)$/);
  });

  it('resolves once the data is handed over', async () => {
    const written: string[] = [];
    const render = renderTo(new Writable({ write: (chunk: Buffer, _e, done) => done(void written.push(chunk.toString())) }));
    await render.emit('token\n');
    expect(written).toEqual(['token\n']);
  });
});
