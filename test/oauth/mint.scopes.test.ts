import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/core/errors.js';
import { useEmulatorHarness } from '../helpers/harness.js';
import { mintInProcess } from '../helpers/mint.js';

const h = useEmulatorHarness();

const SEND = 'https://www.googleapis.com/auth/gmail.send';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

const mint = (scopes = [SEND]) => mintInProcess(h.emulator, { scopes });

describe('the granted-scope check', () => {
  it('refuses a grant missing a requested scope, naming it, and returns nothing', async () => {
    h.emulator.behaviour.grantScopes = (requested) => requested.filter((scope) => scope !== READONLY);
    const failure = mint([SEND, READONLY]);
    await expect(failure).rejects.toBeInstanceOf(FlowError);
    await expect(failure).rejects.toThrow(`Consent did not grant ${READONLY} (a box was left unticked); nothing was written.`);
  });

  it('accepts a grant of every requested scope', async () => {
    const token = await mint([SEND, READONLY]);
    expect(token.scopes).toEqual([SEND, READONLY]);
    expect(token.refreshToken).toMatch(/\S/);
  });
});
