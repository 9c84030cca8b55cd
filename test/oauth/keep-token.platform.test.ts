import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveEndpoints } from '../../src/core/endpoints.js';
import { fileProtection } from '../../src/core/file-protection.js';
import { writeFailed } from '../../src/oauth/files.js';
import { keepUnwrittenToken, type KeepEffects, type Unwritten } from '../../src/oauth/keep-token.js';
import { FAKE_TOKEN } from '../helpers/fake-token.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * What the rescue says about the file it kept, per platform (issues 18.4, 18.9): "(mode 0600)" was
 * claimed on Windows, where modes do nothing and the file takes its folder's ACL; a copy in the
 * temporary folder (which macOS purges after days unused, and Windows' Storage Sense may) must be
 * moved now, not "where it belongs" some day.
 */

const FULL = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(() => workspace.cleanup());

const unwritten = (path: string): Unwritten => ({ token: FAKE_TOKEN, format: 'json', prefix: 'GMAIL_API_', path, endpoints: resolveEndpoints({}) });

function effects(platform: NodeJS.Platform): KeepEffects {
  return {
    askLine: () => Promise.reject(new Error('no question off a terminal')),
    say: () => undefined,
    warn: () => undefined,
    emit: async () => undefined,
    temporaryFolder: join(workspace.dir, 'system-tmp'),
    platform,
  };
}

async function keptMessage(path: string, platform: NodeJS.Platform): Promise<string> {
  const error = await keepUnwrittenToken(writeFailed(path, FULL), unwritten(path), 'beside', effects(platform)).catch((caught: Error) => caught);
  return error.message;
}

describe('what protects a kept token, said per platform', () => {
  it('on Linux and macOS: mode 0600', async () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const path = join(workspace.dir, `${platform}.json`);
      expect(await keptMessage(path, platform)).toMatch(/it was written to .*\.rescued-[0-9a-f]{6}\.json \(mode 0600\) instead; move it where it belongs\. A \.gitignore line naming \w+\.json does not cover this copy\.$/);
    }
  });

  it('on Windows no mode is claimed; it says the folder decides', async () => {
    const message = await keptMessage(join(workspace.dir, 'token.json'), 'win32');
    expect(message).not.toMatch(/0600|0700/);
    expect(message).toMatch(/\(readable by whoever its folder's permissions allow: Windows has no file modes\) instead; move it where it belongs\. /);
    expect(fileProtection('win32')).not.toContain('0600');
  });
});

describe('a token kept in the temporary folder', () => {
  it('says the system empties that folder: move it now', async () => {
    mkdirSync(join(workspace.dir, 'system-tmp'));
    const path = join(workspace.dir, 'gone', 'token.json');
    const message = await keptMessage(path, 'darwin');
    const [folder] = readdirSync(join(workspace.dir, 'system-tmp'));
    const file = join(workspace.dir, 'system-tmp', folder as string, 'token.json');
    expect(existsSync(file)).toBe(true);
    expect(message).toBe(
      `The refresh token was not written to ${path}; it was written to ${file} (mode 0600) in the temporary folder, which the system empties after a while (macOS after days unused, Windows' Storage Sense): move it now.`,
    );
  });
});
