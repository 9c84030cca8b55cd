/** runDemo, the demo's flow, driven in-process with its effects injected. */
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { runDemo } from '../../src/demo/run.js';
import { isListening } from '../helpers/workspace.js';

describe('runDemo in-process', () => {
  it('stops its emulator when interrupted, while the process that ran it lives on', async () => {
    const controller = new AbortController();
    let origin = '';
    let listeningAtConsent = false;
    const run = runDemo(
      { approval: 'browser', timeoutSeconds: 300 },
      {
        started: (at) => (origin = at),
        done: () => undefined,
        openBrowser: async () => {
          listeningAtConsent = await isListening(Number(new URL(origin).port));
          controller.abort(new InterruptedError());
        },
        tell: () => undefined,
        signal: controller.signal,
        now: () => new Date(),
      },
    );
    await expect(run).rejects.toThrow(/Interrupted; the emulator is stopped/);
    expect(listeningAtConsent).toBe(true);
    expect(await isListening(Number(new URL(origin).port))).toBe(false);
  });
});
