import { existsSync, lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { runDemo } from '../../src/demo/run.js';
import { rejectionOf } from '../helpers/usage.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Issue 19, item 9: `demo --keep <a link to nothing>` ran the whole consent and then failed with
 * "unexpected Error" when the folder could not be made. It is refused first (exit 2).
 */

let ws: ReturnType<typeof makeWorkspace>;
beforeEach(() => (ws = makeWorkspace()));
afterEach(() => ws.cleanup());

function demo(keep: string) {
  const started: string[] = [];
  const run = runDemo(
    { approval: 'self', keep, timeoutSeconds: 30 },
    {
      started: (origin) => void started.push(origin),
      done: () => undefined,
      openBrowser: () => Promise.resolve(),
      tell: () => undefined,
      signal: new AbortController().signal,
      now: () => new Date(),
    },
  );
  return { run, started };
}

it('a --keep that is a symbolic link to nothing is refused before the emulator starts, the link left as it is', async () => {
  const keep = join(ws.dir, 'kept');
  symlinkSync(join(ws.dir, 'nowhere'), keep);
  const { run, started } = demo(keep);
  const error = await rejectionOf(run, UsageError);
  expect(error.message).toBe(`--keep ${keep} is a symbolic link to nothing. Remove it, or name a new or empty folder.`);
  expect(started).toEqual([]);
  expect(lstatSync(keep).isSymbolicLink()).toBe(true);
  expect(existsSync(join(ws.dir, 'nowhere'))).toBe(false);
});

it('a link to an empty folder is still a folder to keep in', async () => {
  mkdirSync(join(ws.dir, 'real'));
  const keep = join(ws.dir, 'kept');
  symlinkSync(join(ws.dir, 'real'), keep);
  const { run } = demo(keep);
  await run;
  expect(existsSync(join(ws.dir, 'real', 'token.json'))).toBe(true);
});
