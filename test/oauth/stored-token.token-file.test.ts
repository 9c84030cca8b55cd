import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { findStoredToken } from '../../src/oauth/stored-token.js';
import { rejectionOf } from '../helpers/usage.js';
import { makeWorkspace } from '../helpers/workspace.js';

/**
 * Issue 19, items 10 and 11: `--env-file` is Node's own flag (nodejs/node#54232), so
 * `--token-file` reads either file mint writes, told apart by content; and a UTF-16 .env (Windows
 * PowerShell 5.1's `>`) is named and refused, not read as one without the token.
 */

let ws: ReturnType<typeof makeWorkspace>;
beforeEach(() => (ws = makeWorkspace()));
afterEach(() => ws.cleanup());

const find = (tokenFile: string, envPrefix = 'GMAIL_API_') => findStoredToken({ tokenFile, envPrefix, env: {}, cwd: ws.dir });
const ENV = 'GMAIL_API_CLIENT_ID=id.apps.googleusercontent.com\nGMAIL_API_CLIENT_SECRET=GOCSPX-s\nGMAIL_API_REFRESH_TOKEN=1//from-env\n';

function bytes(name: string, data: Buffer): string {
  const path = join(ws.dir, name);
  writeFileSync(path, data);
  return path;
}

describe('--token-file tells a token.json from a .env by content', () => {
  it('a .env, whatever its name: the three values, and no file to write an access token back to', async () => {
    for (const name of ['.env', 'token.json', 'settings']) {
      const path = ws.file(name, `# app\r\n${ENV.replace(/\n/g, '\r\n')}`);
      const found = await find(path);
      expect(found).toEqual({ source: path, refreshToken: '1//from-env', clientId: 'id.apps.googleusercontent.com', clientSecret: 'GOCSPX-s' });
    }
  });

  it('a .env with a UTF-8 BOM and another prefix', async () => {
    const path = bytes('.env', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('APP_REFRESH_TOKEN=1//bom\n')]));
    expect(await find(path, 'APP_')).toMatchObject({ refreshToken: '1//bom' });
  });

  it('a token.json, whatever its name, blanks before its brace included: the file a refreshed token goes back to', async () => {
    for (const name of ['app.env', 'token.json']) {
      const path = ws.file(name, `\n  ${JSON.stringify({ refresh_token: '1//from-json', client_id: 'c', client_secret: 's' })}`);
      expect(await find(path)).toMatchObject({ source: path, file: path, refreshToken: '1//from-json' });
    }
  });

  it('a .env whose values hold braces is still a .env: only a brace that opens the file makes JSON', async () => {
    const path = ws.file('.env', `GMAIL_API_EXTRA={"a":1}\n${ENV}`);
    expect(await find(path)).toMatchObject({ source: path, refreshToken: '1//from-env' });
  });

  it('a .env without the token names the variable, not JSON', async () => {
    const path = ws.file('.env', 'OTHER=1\n');
    expect((await rejectionOf(find(path), UsageError)).message).toBe(`${path} has no GMAIL_API_REFRESH_TOKEN. Check the file, or --env-prefix if your names differ.`);
  });
});

describe('a UTF-16 token file is named, with the fix, and left as it is', () => {
  const utf16le = (text: string) => Buffer.from(text, 'utf16le');
  const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
  const cases: [string, Buffer, string][] = [
    ['UTF-16LE with a BOM (PowerShell 5.1)', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(ENV)]), 'UTF-16LE'],
    ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(ENV)]), 'UTF-16BE'],
    ['UTF-16LE without a BOM', utf16le(ENV), 'UTF-16LE'],
    ['UTF-16BE without a BOM', utf16be(ENV), 'UTF-16BE'],
    ['a UTF-16LE token.json', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('{"refresh_token":"1//x"}')]), 'UTF-16LE'],
  ];
  for (const [name, data, encoding] of cases) {
    it(name, async () => {
      const path = bytes('.env', data);
      const message = (await rejectionOf(find(path), UsageError)).message;
      expect(message).toBe(
        `${path} is ${encoding} text (what Windows PowerShell 5.1's > writes), which dotenv and gmail-token read as UTF-8. Save it as UTF-8, or let gmail-token write it with -o ${path}.`,
      );
      expect(readFileSync(path).equals(data)).toBe(true);
    });
  }

  it('a UTF-32LE one with a BOM is named as UTF-32, judged on its own bytes rather than on their UTF-8 decoding', async () => {
    const data = Buffer.from(Array.from(`\ufeff${ENV}`).flatMap((char) => [...Buffer.from(Uint32Array.of(char.codePointAt(0) ?? 0).buffer)]));
    const path = bytes('.env', data);
    const message = (await rejectionOf(find(path), UsageError)).message;
    expect(message).toBe(`${path} is UTF-32LE text, which dotenv and gmail-token read as UTF-8. Save it as UTF-8, or let gmail-token write it with -o ${path}.`);
    expect(readFileSync(path).equals(data)).toBe(true);
  });
});
