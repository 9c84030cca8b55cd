import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { fakeIo } from '../helpers/fake-io.js';
import { interruptOnSignals, stopSignals } from '../../src/cli/signals.js';

/**
 * Issue 19 item 4 and issue 18 item 6: a closed terminal or dropped SSH session (SIGHUP), and on
 * Windows Ctrl-Break (SIGBREAK) and a closed console window (SIGHUP), stop a run as Ctrl-C does,
 * so a token Google issued is written or kept, never dropped by Node's default of leaving at once.
 */

function fakeProcess(platform: NodeJS.Platform) {
  const fake = fakeIo({ platform });
  return { ...fake, source: fake.io };
}

describe('the stop signals, per platform', () => {
  it('Windows: Ctrl-C, Ctrl-Break, a closed console window and SIGTERM', () => {
    const windows = fakeProcess('win32');
    interruptOnSignals(windows.source);
    expect(windows.handled()).toEqual(['SIGBREAK', 'SIGHUP', 'SIGINT', 'SIGTERM']);
  });

  it('Linux and macOS: Ctrl-C, SIGTERM and a hang-up; no SIGBREAK, which only Windows sends', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(stopSignals(platform).sort()).toEqual(['SIGHUP', 'SIGINT', 'SIGTERM']);
    }
  });
});

describe('a hang-up or Ctrl-Break is handled like Ctrl-C', () => {
  for (const [platform, name] of [['linux', 'SIGHUP'], ['win32', 'SIGBREAK'], ['win32', 'SIGHUP']] as const) {
    it(`${platform} ${name}: the first aborts the flow, a second before any token leaves with 130`, () => {
      const fake = fakeProcess(platform);
      const interruption = interruptOnSignals(fake.source);
      fake.send(name);
      expect(interruption.signal.aborted).toBe(true);
      expect(interruption.signal.reason).toBeInstanceOf(InterruptedError);
      expect(fake.exits).toEqual([]);
      fake.send(name);
      expect(fake.exits).toEqual([130]);
    });
  }

  it('once a token is held, a second hang-up keeps it first, then leaves with 130', async () => {
    const fake = fakeProcess('linux');
    const interruption = interruptOnSignals(fake.source);
    let kept = 0;
    let keptAt: () => void = () => undefined;
    const keeping = new Promise<void>((resolve) => (keptAt = resolve));
    interruption.holdToken(async () => {
      kept += 1;
      keptAt();
      throw new InterruptedError('kept beside');
    });
    fake.send('SIGHUP');
    expect(kept).toBe(0);
    fake.send('SIGHUP');
    await keeping;
    await new Promise((resolve) => setImmediate(resolve));
    expect(kept).toBe(1);
    expect(fake.exits).toEqual([130]);
  });
});
