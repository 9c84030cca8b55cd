import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { makeWorkspace } from '../helpers/workspace.js';

/** The emulator has no --out: its refusals to write credentials.json name the option it was given. */
let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(() => workspace.cleanup());

const emulator = (path: string) => runInProcessToEnd(['emulator', '--port', '0', '--smtp-port', '0', '--imap-port', '0', '--write-credentials', path], { cwd: workspace.dir });

describe('emulator --write-credentials refusals', () => {
  it('an existing file: kept, and the advice names --write-credentials', async () => {
    workspace.file('credentials.json', 'mine\n');
    const result = await emulator('credentials.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${join(workspace.dir, 'credentials.json')} already exists and was kept. Pass --force to overwrite it, or choose another --write-credentials.\n`);
    expect(readFileSync(join(workspace.dir, 'credentials.json'), 'utf8')).toBe('mine\n');
  });

  it('a folder: the advice names --write-credentials', async () => {
    mkdirSync(join(workspace.dir, 'sub'));
    const result = await emulator('sub');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${join(workspace.dir, 'sub')} is a folder. Give a file name with --write-credentials.\n`);
  });
});
