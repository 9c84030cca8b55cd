import { beforeEach } from 'vitest';
import { resolveEndpoints, type GoogleEndpoints } from '../../src/core/endpoints.js';
import type { StoredToken } from '../../src/core/stored-token.js';
import { checkToken, type CheckReport } from '../../src/oauth/check.js';
import type { Harness } from './harness.js';
import { mintInProcess } from './mint.js';

export interface CheckOptions {
  sendTestTo?: string;
  now?: Date;
  endpoints?: GoogleEndpoints;
}

/**
 * `check` run in this process against the harness's emulator, as of `now` unless a test says
 * otherwise, on tokens minted there first; `sent()` is what the emulator took during the test
 * (it keeps messages for the whole file).
 */
export function useCheckFlow(h: Harness, now: Date) {
  let sentBefore = 0;
  beforeEach(() => {
    sentBefore = h.emulator.messages.length;
  });
  const endpoints = (overrides: Partial<GoogleEndpoints> = {}): GoogleEndpoints => ({ ...resolveEndpoints({ emulatorHost: h.emulator.hostPort }), ...overrides });
  return {
    endpoints,
    /** A stored token holding only the refresh token of a fresh mint, as token.json would. */
    async mint(scopes: string[]): Promise<StoredToken & { refreshToken: string }> {
      const token = await mintInProcess(h.emulator, { scopes });
      h.emulator.received.length = 0;
      return { source: 'token.json', refreshToken: token.refreshToken };
    },
    check(stored: StoredToken, options: CheckOptions = {}): Promise<CheckReport> {
      const { clientId, clientSecret } = h.emulator.defaultClient;
      return checkToken({ stored, secrets: { clientId, clientSecret }, endpoints: options.endpoints ?? endpoints(), sendTestTo: options.sendTestTo, now: () => options.now ?? now });
    },
    sent: () => h.emulator.messages.slice(sentBefore),
  };
}
