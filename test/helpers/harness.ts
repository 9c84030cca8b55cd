import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { makeWorkspace } from './workspace.js';

export interface Harness {
  emulator: Emulator;
  workspace: ReturnType<typeof makeWorkspace>;
}

/**
 * One emulator for the file, and for each test a fresh folder holding a credentials.json for the
 * emulator's Desktop client, with the emulator's switches and records reset.
 */
export function useEmulatorHarness(): Harness {
  const harness = {} as Harness;
  beforeAll(async () => {
    harness.emulator = await startEmulator();
  });
  afterAll(() => harness.emulator.close());
  beforeEach(() => {
    harness.emulator.behaviour = { consent: 'approve', account: 'tester@example.com', tokenFault: null };
    harness.emulator.received.length = 0;
    harness.workspace = makeWorkspace();
    harness.workspace.file('credentials.json', JSON.stringify(harness.emulator.credentialsFile()));
  });
  afterEach(() => harness.workspace.cleanup());
  return harness;
}
