import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { renderOutput } from '../../src/core/output.js';
import { deliverToken } from '../../src/oauth/deliver.js';
import { TemporaryLeftError } from '../../src/oauth/write-time.js';
import { FAKE_TOKEN } from '../helpers/fake-token.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * A token written whose temporary copy could not be removed (issue 18.1: a secret is never left
 * silently): mint names the copy and exits 1, and does not "rescue" a token that was written.
 */

const seams = vi.hoisted(() => ({ unlinkFails: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const unlink: typeof real.unlink = async (path) =>
    seams.unlinkFails && String(path).endsWith('.tmp') ? Promise.reject(Object.assign(new Error('EPERM: unlink'), { code: 'EPERM' })) : real.unlink(path);
  return { ...real, default: { ...real, unlink }, unlink };
});

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(() => {
  seams.unlinkFails = false;
  workspace.cleanup();
});

describe('a new token.json whose temporary copy stays', () => {
  it('is reported as written, with the copy named, and not kept a second time', async () => {
    seams.unlinkFails = true;
    const path = join(workspace.dir, 'token.json');
    const warned: string[] = [];
    const keep = { askLine: () => Promise.reject(new Error('no question')), say: () => undefined, warn: (line: string) => void warned.push(line), emit: async () => undefined, temporaryFolder: workspace.dir };
    const unwritten = { token: FAKE_TOKEN, format: 'json' as const, prefix: 'GMAIL_API_', path, endpoints: resolveEndpoints({}) };
    const error = await deliverToken({ format: 'json', prefix: 'GMAIL_API_', path, force: false, before: undefined, ifUnwritable: 'beside' }, unwritten, keep).catch((caught: Error) => caught);

    expect(error).toBeInstanceOf(TemporaryLeftError);
    const [copy] = readdirSync(workspace.dir).filter((name) => name.endsWith('.tmp'));
    expect((error as Error).message).toBe(`${path} was written. The temporary file ${join(workspace.dir, copy as string)} holds a secret and could not be removed (EPERM: permission denied): delete it.`);
    expect(readFileSync(path, 'utf8')).toBe(renderOutput('json', FAKE_TOKEN, 'GMAIL_API_'));
    expect(readdirSync(workspace.dir).filter((name) => name.includes('rescued'))).toEqual([]);
    expect(warned).toEqual([]);
  });
});
