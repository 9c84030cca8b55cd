import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowError } from '../../src/core/errors.js';
import { updateAtWriteTime } from '../../src/oauth/write-time.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * The last step of a .env update, where an editor can save between our read and our rename:
 * driven here by an update function that writes the file itself, at exactly that moment.
 */
let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(() => workspace.cleanup());

const addOurs = (current: Buffer | undefined): Buffer => Buffer.concat([current ?? Buffer.alloc(0), Buffer.from('OURS=1\n')]);

describe('a .env written by someone else between our read and our rename', () => {
  it('is merged again from what it holds then: their edit stays', async () => {
    const path = workspace.file('.env', 'A=1\n');
    let edits = 0;
    await updateAtWriteTime(path, (current) => {
      if (edits++ === 0) writeFileSync(path, 'A=1\nB=edited meanwhile\n');
      return addOurs(current);
    });
    expect(readFileSync(path, 'utf8')).toBe('A=1\nB=edited meanwhile\nOURS=1\n');
    expect(edits).toBe(2);
  });

  it('that keeps changing is left as the last writer left it: exit 1, nothing of theirs lost', async () => {
    const path = workspace.file('.env', 'A=1\n');
    let edits = 0;
    const update = updateAtWriteTime(path, (current) => {
      writeFileSync(path, `A=1\nEDIT=${++edits}\n`);
      return addOurs(current);
    });
    await expect(update).rejects.toThrow(FlowError);
    await expect(update).rejects.toThrow(/kept changing while gmail-token tried to update it, so it was left as it is/);
    expect(readFileSync(path, 'utf8')).toBe(`A=1\nEDIT=${edits}\n`);
  });

  it('that someone removes meanwhile is created afresh, only if the name is still free', async () => {
    const path = join(workspace.dir, '.env');
    await updateAtWriteTime(path, addOurs);
    expect(readFileSync(path, 'utf8')).toBe('OURS=1\n');
  });
});
