import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetRevokedAccess } from '../../src/oauth/token-cache.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * revoke's clean-up of a token.json on disk (issue 19.6): the file is edited as bytes, so what a
 * UTF-8 decode would replace (Latin-1 bytes) or JSON.stringify would rewrite (1e400, a big integer,
 * CRLF, a byte order mark) is still there afterwards.
 */

let workspace: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  workspace = makeWorkspace();
});
afterEach(() => workspace.cleanup());

describe("revoke's clean-up on disk", () => {
  it('removes token and expiry and keeps every other byte', async () => {
    const path = join(workspace.dir, 'token.json');
    const head = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{\r\n  "refresh_token": "1//r",\r\n  "n": 12345678901234567890123,\r\n  "huge": 1e400,\r\n  "name": "Jos\xe9"', 'latin1')]);
    writeFileSync(path, Buffer.concat([head, Buffer.from(',\r\n  "token": "ya29.a",\r\n  "expiry": "2030-01-01T00:00:00Z"\r\n}\r\n')]), { mode: 0o600 });

    const said = await forgetRevokedAccess({ source: path, file: path, refreshToken: '1//r' });

    expect(said?.warning).toBe(false);
    expect(readFileSync(path)).toEqual(Buffer.concat([head, Buffer.from('\r\n}\r\n')]));
  });
});
