import { linkSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputBusyError, withOutputLock } from '../../src/oauth/output-lock.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Locks misjudged as a live run's (issues 19.7, 18.7): our own pid left by an earlier process with
 * it, pids no system gives, and a lock older than any run holds one. Each used to make every
 * access-token wait 2 s and never save, and mint wait and give up.
 */

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(() => workspace.cleanup());

const lockOf = (name: string) => join(workspace.dir, `.${name}.gmail-token.lock`);
const agedBy = (path: string, seconds: number) => {
  const then = new Date(Date.now() - seconds * 1000);
  utimesSync(path, then, then);
};

/** Runs with the lock taken, or says it was busy; a short patience, so a wrong wait fails fast. */
async function takes(path: string): Promise<'taken' | 'busy'> {
  try {
    return await withOutputLock(path, async () => {
      expect(readFileSync(lockOf('token.json'), 'utf8')).toBe(`${process.pid}\n`);
      return 'taken' as const;
    }, 300);
  } catch (error) {
    if (error instanceof OutputBusyError) return 'busy';
    throw error;
  }
}

/** Takes the lock of `path` in this process and keeps it until the returned function is called. */
async function holdLock(path: string): Promise<() => Promise<void>> {
  let release = () => {};
  let taken = () => {};
  const holds = new Promise<void>((resolve) => (taken = resolve));
  const held = withOutputLock(path, async () => {
    taken();
    await new Promise<void>((resolve) => (release = resolve));
  });
  await holds;
  return async () => {
    release();
    await held;
  };
}

describe('a lock left behind', () => {
  it.each([
    ['our own pid, from an earlier process that had it', () => `${process.pid}\n`],
    ['a pid of 2^31', () => `${2 ** 31}\n`],
    ['twenty digits', () => '99999999999999999999\n'],
    ['0x1 (which Number() reads as pid 1, alive)', () => '0x1\n'],
  ])('holding %s is taken over at once', async (_what, content) => {
    const path = join(workspace.dir, 'token.json');
    writeFileSync(lockOf('token.json'), content());
    expect(await takes(path)).toBe('taken');
    expect(readdirSync(workspace.dir)).toEqual([]);
  });

  it("naming a live process is taken over once older than any run holds one (Windows reuses pids)", async () => {
    const path = join(workspace.dir, 'token.json');
    writeFileSync(lockOf('token.json'), `${process.ppid}\n`);
    agedBy(lockOf('token.json'), 6);
    expect(await takes(path)).toBe('busy');
    agedBy(lockOf('token.json'), 11);
    expect(await takes(path)).toBe('taken');
  });

  it('dated an hour in the future is taken over', async () => {
    const path = join(workspace.dir, 'token.json');
    writeFileSync(lockOf('token.json'), `${process.ppid}\n`);
    agedBy(lockOf('token.json'), -3600);
    expect(await takes(path)).toBe('taken');
  });

  it('for an output whose name leaves the lock 255 bytes long is taken over, not retried for ever', async () => {
    const name = `${'t'.repeat(232)}.json`;
    const path = join(workspace.dir, name);
    writeFileSync(lockOf(name), '999999999\n');
    expect(Buffer.byteLength(`.${name}.gmail-token.lock`)).toBe(255);
    expect(await withOutputLock(path, async () => 'taken', 300)).toBe('taken');
    expect(readdirSync(workspace.dir)).toEqual([]);
  });
});

describe('a lock this process holds', () => {
  it('makes a second writer in this process wait its turn, not take it as an earlier process\'s', async () => {
    const path = join(workspace.dir, 'token.json');
    const order: string[] = [];
    let release = () => {};
    let firstIn = () => {};
    const firstHolds = new Promise<void>((resolve) => (firstIn = resolve));
    const first = withOutputLock(path, async () => {
      order.push('first in');
      firstIn();
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first out');
    });
    await firstHolds;
    // The second writer's pause before its next try is the event that proves it found the lock held.
    let pausing = () => {};
    const secondPaused = new Promise<void>((resolve) => (pausing = resolve));
    const realSetTimeout = globalThis.setTimeout;
    const paused = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((...args: Parameters<typeof setTimeout>) => {
      pausing();
      return realSetTimeout(...args);
    }) as typeof setTimeout);
    const second = withOutputLock(path, async () => order.push('second in'));
    // Had it taken the lock as an earlier process's, it would be done before any pause.
    await Promise.race([secondPaused, second]);
    paused.mockRestore();
    expect(order).toEqual(['first in']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  it("holding another output's lock does not make an earlier process's lock with our pid ours", async () => {
    const release = await holdLock(join(workspace.dir, 'other.json'));
    writeFileSync(lockOf('token.json'), `${process.pid}\n`);
    expect(await takes(join(workspace.dir, 'token.json'))).toBe('taken');
    await release();
  });

  // On a case-insensitive disk Token.json's lock and token.json's are one file; a hard link is that here.
  it('is still held when found under another name for the same file', async () => {
    const release = await holdLock(join(workspace.dir, 'Token.json'));
    linkSync(lockOf('Token.json'), lockOf('token.json'));
    expect(await takes(join(workspace.dir, 'token.json'))).toBe('busy');
    expect(readFileSync(lockOf('token.json'), 'utf8')).toBe(`${process.pid}\n`);
    await release();
  });
});
