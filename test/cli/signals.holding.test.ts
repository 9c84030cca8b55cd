import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { fakeIo } from '../helpers/fake-io.js';
import { interruptOnSignals, uninterrupted } from '../../src/cli/signals.js';

/**
 * What a person sees when they stop a run that holds a token Google issued, and what a stop signal
 * during a short write leaves behind, in process (the real-signal tests are child processes).
 */

function fakeProcess() {
  const fake = fakeIo();
  const settled = () => new Promise((resolve) => setImmediate(resolve));
  return { ...fake, source: fake.io, settled };
}

const HOLDING = 'warning: Interrupted: the refresh token Google issued is being written first. Interrupt again to keep it beside the output at once.\n';

describe('a stop signal while a token is held', () => {
  it('before any token: the first aborts silently, the second leaves with 130, a third does nothing more', async () => {
    const fake = fakeProcess();
    interruptOnSignals(fake.source);
    fake.send('SIGINT');
    await fake.settled();
    expect(fake.said()).toBe('');
    fake.send('SIGINT');
    fake.send('SIGINT');
    expect(fake.exits).toEqual([130]);
  });

  it('a token held first, then a signal: says the token is being written first', async () => {
    const fake = fakeProcess();
    const interruption = interruptOnSignals(fake.source);
    interruption.holdToken(() => new Promise<never>(() => undefined));
    fake.send('SIGTERM');
    await fake.settled();
    expect(fake.said()).toBe(HOLDING);
    expect(fake.exits).toEqual([]);
  });

  it('a signal first, then a token held: says so once the token exists', async () => {
    const fake = fakeProcess();
    const interruption = interruptOnSignals(fake.source);
    fake.send('SIGINT');
    interruption.holdToken(() => new Promise<never>(() => undefined));
    await fake.settled();
    expect(fake.said()).toBe(HOLDING);
  });

  it('a second signal keeps the token at once, says where it went, then leaves with 130', async () => {
    const fake = fakeProcess();
    const interruption = interruptOnSignals(fake.source);
    interruption.holdToken(() => Promise.reject(new InterruptedError('Interrupted: the refresh token is in token.json.kept.')));
    fake.send('SIGINT');
    fake.send('SIGINT');
    while (fake.exits.length === 0) await fake.settled();
    expect(fake.said()).toBe(`${HOLDING}error: Interrupted: the refresh token is in token.json.kept.\n`);
    expect(fake.exits).toEqual([130]);
  });

  it('stderr failing after a hang-up (EIO) does not crash the run', () => {
    const fake = fakeProcess();
    interruptOnSignals(fake.source);
    expect(() => fake.stderr.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).not.toThrow();
  });
});

describe('a write that a stop signal must not cut short', () => {
  it('finishes, then ends with the given interruption, and hands the signals back', async () => {
    const fake = fakeProcess();
    const before = fake.handled();
    let finished = false;
    const writing = uninterrupted(fake.source, 'Interrupted.')(async () => {
      fake.send('SIGHUP');
      fake.send('SIGTERM');
      await fake.settled();
      finished = true;
    });
    await expect(writing).rejects.toThrow(new InterruptedError('Interrupted.'));
    expect(finished).toBe(true);
    expect(fake.exits).toEqual([]);
    expect(fake.handled()).toEqual(before);
  });

  it('a signal meanwhile: stderr failing afterwards (EIO) does not turn the 130 into a crash', async () => {
    const fake = fakeProcess();
    await uninterrupted(fake.source, 'Interrupted.')(async () => fake.send('SIGHUP')).catch(() => undefined);
    expect(() => fake.stderr.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).not.toThrow();
  });

  it('no signal: the write stands, stderr is left as it was, and the signals are handed back', async () => {
    const fake = fakeProcess();
    expect(await uninterrupted(fake.source, 'Interrupted.')(async () => 'written')).toBe('written');
    expect(fake.stderr.listenerCount('error')).toBe(0);
    expect(fake.handled()).toEqual([]);
  });
});
