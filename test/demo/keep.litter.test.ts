import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkKeepFolder } from '../../src/demo/keep.js';
import { makeWorkspace } from '../helpers/workspace.js';

/** A --keep folder that Finder or Explorer has shown holds their files, and is still empty (issue 18.9). */

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(() => workspace.cleanup());

function folderWith(...names: string[]): string {
  const dir = join(workspace.dir, 'keep');
  mkdirSync(dir);
  for (const name of names) writeFileSync(join(dir, name), '');
  return dir;
}

describe('demo --keep', () => {
  it.each([[['.DS_Store']], [['desktop.ini']], [['Thumbs.db']], [['.DS_Store', 'Desktop.ini', 'thumbs.db']]])('takes a folder holding only %j', async (names) => {
    await expect(checkKeepFolder(folderWith(...names))).resolves.toBeUndefined();
  });

  it('refuses one that holds anything else beside them', async () => {
    const dir = folderWith('.DS_Store', 'token.json');
    await expect(checkKeepFolder(dir)).rejects.toThrow(`--keep ${dir} is not empty.`);
  });
});
