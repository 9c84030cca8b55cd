import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { mintToken, type MintRequest } from '../../src/oauth/mint.js';
import { followConsent } from '../helpers/browser.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintEffects, mintRequestFor } from '../helpers/mint.js';

const h = useEmulatorHarness();

/** The flow in-process, its side effects handed in as plain functions: no patching, no child process. */
function request(overrides: Partial<MintRequest> = {}): MintRequest {
  return mintRequestFor(h.emulator, overrides);
}

const effects = mintEffects;

describe('mintToken with injected effects', () => {
  it('opens the consent URL it told the person about, and returns the token', async () => {
    const opened: string[] = [];
    const fx = effects({
      openUrl: async (url) => {
        opened.push(url);
        void followConsent(url);
      },
    });
    const token = await mintToken(request(), fx);
    expect(opened).toHaveLength(1);
    expect(fx.lines).toContain(opened[0]);
    expect(token).toMatchObject({ clientId: h.emulator.defaultClient.clientId, tokenUri: `${h.emulator.origin}/token`, account: '' });
    expect(token.refreshToken).toMatch(/\S/);
  });

  it('records the refresh-token expiry from the injected clock', async () => {
    h.emulator.behaviour.refreshTokenExpiresIn = 60;
    const token = await mintToken(request(), effects());
    expect(token.refreshTokenExpiry?.toISOString()).toBe('2026-11-27T12:01:00.000Z');
  });

  it('--manual asks readPasted and checks what it returns against this run', async () => {
    const fx = effects({
      openUrl: () => Promise.reject(new Error('manual mode must not open a browser')),
      readPasted: async (judge) => {
        const url = fx.lines.find((line) => line.includes('/o/oauth2/')) ?? '';
        const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
        expect(judge('http://127.0.0.1:1/oauth2callback?code=x&state=forged')).toMatchObject({ problem: expect.stringMatching(/state/) });
        const judged = judge(location);
        if ('problem' in judged) throw new Error(judged.problem);
        return judged.consent;
      },
    });
    const token = await mintToken(request({ manual: true }), fx);
    expect(token.refreshToken).toMatch(/\S/);
  });

  it('ends with the abort reason when the signal fires', async () => {
    const controller = new AbortController();
    const fx = effects({ openUrl: async () => controller.abort(new InterruptedError()), signal: controller.signal });
    await expect(mintToken(request(), fx)).rejects.toBeInstanceOf(InterruptedError);
  });
});
