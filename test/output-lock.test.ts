import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withOutputLock } from '../src/oauth/write-time.js';
import { makeWorkspace } from './helpers/workspace.js';

/**
 * The lock beside an output when the run that held it crashed (review 1, lock suspicion): several
 * writers find the same dead lock at once, and still only one at a time may hold it.
 */

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(() => workspace.cleanup());

/** Above Linux's largest pid, so no process has it: the run that wrote it is gone. */
const GONE = 999_999_999;

describe('a lock left by a run that is gone', () => {
  it('is taken over by one writer at a time, however many find it dead at once', async () => {
    const output = join(workspace.dir, 'token.json');
    writeFileSync(join(workspace.dir, '.token.json.gmail-token.lock'), `${GONE}\n`);
    let inside = 0;
    let most = 0;
    const writer = () =>
      withOutputLock(output, async () => {
        most = Math.max(most, ++inside);
        // Several turns of the event loop and the file system inside the lock, as a real write has.
        for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
        readdirSync(workspace.dir);
        inside--;
      });
    await Promise.all(Array.from({ length: 12 }, writer));
    expect(most).toBe(1);
    expect(readdirSync(workspace.dir).filter((name) => name.includes('.lock'))).toEqual([]);
  });
});
