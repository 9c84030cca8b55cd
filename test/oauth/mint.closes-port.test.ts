import { describe, expect, it } from 'vitest';
import { FlowError, InterruptedError } from '../../src/core/errors.js';
import { mintToken, type MintEffects, type MintRequest } from '../../src/oauth/mint.js';
import { followConsent, redirectUriOf } from '../helpers/browser.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintRequestFor } from '../helpers/mint.js';
import { isListening } from '../helpers/workspace.js';

/**
 * The loopback port is closed by the flow itself, not by the process ending: the flow runs in this
 * test's process, which keeps running while the port is probed. (The CLI exits right after, when
 * the OS would close the port whatever the flow did.)
 */
const h = useEmulatorHarness();

function request(overrides: Partial<MintRequest> = {}): MintRequest {
  return mintRequestFor(h.emulator, overrides);
}

/** Effects whose browser is `browse`; `port()` is the loopback port of the URL it was given. */
function effects(browse: (url: string) => void, signal = new AbortController().signal): MintEffects & { port(): number } {
  let url = '';
  return {
    port: () => Number(redirectUriOf(url).port),
    openUrl: async (given) => {
      url = given;
      expect(await isListening(Number(redirectUriOf(given).port))).toBe(true);
      browse(given);
    },
    tell: () => undefined,
    readPasted: () => Promise.reject(new Error('not in manual mode')),
    signal,
    now: () => new Date(),
  };
}

describe('the loopback port is closed before mintToken settles', () => {
  it('after the callback that carries the code', async () => {
    const fx = effects((url) => void followConsent(url));
    await mintToken(request(), fx);
    expect(await isListening(fx.port())).toBe(false);
  });

  it('after consent is declined', async () => {
    h.emulator.behaviour.consent = 'deny';
    const fx = effects((url) => void followConsent(url));
    const failure = mintToken(request(), fx);
    await expect(failure).rejects.toBeInstanceOf(FlowError);
    await expect(failure).rejects.toThrow(/declined/);
    expect(await isListening(fx.port())).toBe(false);
  });

  it('on Ctrl-C (the abort signal)', async () => {
    const controller = new AbortController();
    const fx = effects(() => controller.abort(new InterruptedError()), controller.signal);
    await expect(mintToken(request(), fx)).rejects.toBeInstanceOf(InterruptedError);
    expect(await isListening(fx.port())).toBe(false);
  });

  it('when --timeout passes with no consent', async () => {
    const fx = effects(() => undefined);
    const failure = mintToken(request({ timeoutSeconds: 1 }), fx);
    await expect(failure).rejects.toBeInstanceOf(FlowError);
    await expect(failure).rejects.toThrow(/No consent arrived within 1 second;/);
    expect(await isListening(fx.port())).toBe(false);
  });
});
