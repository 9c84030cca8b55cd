import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcessToEnd } from '../helpers/run-cli.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * `demo --keep /sys/kernel/newdir` ran the whole consent and then failed "unexpected Error": a
 * folder that cannot be made is refused first, and a new one is made, 0700, before consent.
 */
let ws: ReturnType<typeof makeWorkspace>;
beforeEach(() => (ws = makeWorkspace()));
afterEach(() => ws.cleanup());

describe('demo --keep', () => {
  it.runIf(process.platform === 'linux')('a folder that cannot be created: exit 2, one line, before the emulator starts', async () => {
    const result = await runInProcessToEnd(['demo', '--auto-approve', '--keep', '/proc/gmail-token-keep-test'], { cwd: ws.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Cannot create the --keep folder \/proc\/gmail-token-keep-test \(E[A-Z]+\)\. Name a new or empty folder, in one that exists and you can write to\.\n$/);
    expect(result.stdout).toBe('');
  });

  it('a new folder is made 0700 and gets the files', async () => {
    const keep = join(ws.dir, 'kept');
    const result = await runInProcessToEnd(['demo', '--auto-approve', '--keep', keep], { cwd: ws.dir });
    expect(result.code).toBe(0);
    if (process.platform !== 'win32') expect(statSync(keep).mode & 0o777).toBe(0o700);
    expect(statSync(join(keep, 'token.json')).isFile()).toBe(true);
  });
});
