import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keptEnv, keptTokenJson } from '../../src/core/demo.js';
import { UsageError } from '../../src/core/errors.js';
import { findStoredToken, type TokenSources } from '../../src/oauth/stored-token.js';
import { rejectionOf } from '../helpers/usage.js';
import { makeWorkspace } from '../helpers/workspace.js';

let ws: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(() => ws.cleanup());

const usage = async (promise: Promise<unknown>): Promise<string> => (await rejectionOf(promise, UsageError)).message;

const PREFIX = 'GMAIL_API_';
const find = (sources: Partial<TokenSources>) => findStoredToken({ envPrefix: PREFIX, env: {}, cwd: ws.dir, ...sources });

const tokenJson = (refresh: string) => JSON.stringify({ refresh_token: refresh, client_id: 'file-id', client_secret: 'file-secret' });
const ENV = { GMAIL_API_REFRESH_TOKEN: '1//env-refresh', GMAIL_API_CLIENT_ID: 'env-id', GMAIL_API_CLIENT_SECRET: 'env-secret' };

const DEMO = {
  clientId: 'emulator-desktop.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-emulator-desktop-secret',
  refreshToken: '1//emu-kept',
  accessToken: 'ya29.emu-kept',
  tokenUri: 'http://127.0.0.1:9/token',
  scopes: ['https://www.googleapis.com/auth/gmail.send'],
  expiry: new Date('2026-11-27T13:00:00Z'),
  account: 'someone@example.com',
};

describe('findStoredToken: --token, --token-file, the environment, ./token.json', () => {
  it('--token wins over every other source; "ya29." marks an access token, anything else is a refresh token', async () => {
    const all = { tokenFile: ws.file('t.json', tokenJson('1//file')), env: ENV };
    ws.file('token.json', tokenJson('1//local'));
    expect(await find({ token: 'ya29.a0-access', ...all })).toEqual({ source: '--token', accessToken: 'ya29.a0-access' });
    expect(await find({ token: '1//refresh', ...all })).toEqual({ source: '--token', refreshToken: '1//refresh' });
    expect(await find({ token: 'x-ya29.', ...all })).toEqual({ source: '--token', refreshToken: 'x-ya29.' });
  });

  it('an empty or blank --token is refused, not passed over', async () => {
    ws.file('token.json', tokenJson('1//local'));
    for (const token of ['', '  \t']) {
      expect(await usage(find({ token, env: ENV }))).toBe('--token is empty. Pass the refresh token (or an access token).');
    }
  });

  it('--token-file wins over the environment and ./token.json, and is the file a refreshed token goes back to', async () => {
    const file = ws.file('t.json', tokenJson('1//file'));
    ws.file('token.json', tokenJson('1//local'));
    const found = await find({ tokenFile: file, env: ENV });
    expect(found).toMatchObject({ source: file, file, refreshToken: '1//file', clientId: 'file-id', clientSecret: 'file-secret' });
  });

  it('--token-file naming a .env wins over the environment and ./token.json, with the prefix given', async () => {
    ws.file('token.json', tokenJson('1//local'));
    const envFile = ws.file('.env', 'OTHER=1\nMY_REFRESH_TOKEN=1//dotenv\nMY_CLIENT_ID=dotenv-id\nMY_CLIENT_SECRET="dotenv secret"\n');
    const found = await find({ tokenFile: envFile, envPrefix: 'MY_', env: { ...ENV, MY_REFRESH_TOKEN: '1//env' } });
    expect(found).toEqual({ source: envFile, refreshToken: '1//dotenv', clientId: 'dotenv-id', clientSecret: 'dotenv secret' });
    expect(found.file).toBeUndefined();
  });

  it('a .env --token-file without the refresh token names the file and the variable, and does not fall back', async () => {
    ws.file('token.json', tokenJson('1//local'));
    const envFile = ws.file('.env', 'GMAIL_API_CLIENT_SECRET=env-file-secret\n');
    const message = await usage(find({ tokenFile: envFile, env: ENV }));
    expect(message).toBe(`${envFile} has no GMAIL_API_REFRESH_TOKEN. Check the file, or --env-prefix if your names differ.`);
    expect(message).not.toContain('env-file-secret');
  });

  it('a missing --token-file is refused by name', async () => {
    const missing = join(ws.dir, 'gone');
    expect(await usage(find({ tokenFile: missing, env: ENV }))).toBe(`The token file ${missing} does not exist.`);
  });

  it('the environment wins over ./token.json, named by its variable', async () => {
    ws.file('token.json', tokenJson('1//local'));
    expect(await find({ env: ENV })).toEqual({ source: '$GMAIL_API_REFRESH_TOKEN', refreshToken: '1//env-refresh', clientId: 'env-id', clientSecret: 'env-secret' });
    expect(await find({ envPrefix: 'X_', env: { ...ENV, X_REFRESH_TOKEN: '1//x' } })).toMatchObject({ source: '$X_REFRESH_TOKEN', refreshToken: '1//x' });
  });

  it('else ./token.json of the working folder, shown as token.json', async () => {
    const local = ws.file('token.json', tokenJson('1//local'));
    const found = await find({ env: { GMAIL_API_REFRESH_TOKEN: '', GMAIL_API_CLIENT_ID: 'env-id' } });
    expect(found).toMatchObject({ source: 'token.json', file: local, refreshToken: '1//local', clientId: 'file-id' });
  });

  it('with nothing anywhere, says every place a token could come from, with the prefix in use (exit 2)', async () => {
    expect(await usage(find({ envPrefix: 'MY_', env: ENV }))).toBe(
      'No token found. Pass --token or --token-file, set MY_REFRESH_TOKEN, or run where token.json is.',
    );
  });

  it('refuses the files the demo kept, wherever they are found, without showing their secrets', async () => {
    const envFile = ws.file('kept.env', keptEnv(DEMO));
    const kept = ws.file('kept.json', keptTokenJson(DEMO));
    const messages = [
      await usage(find({ tokenFile: envFile })),
      await usage(find({ tokenFile: kept })),
      (ws.file('token.json', keptTokenJson(DEMO)), await usage(find({}))),
    ];
    const says = (where: string) => `${where} holds an emulator token kept by \`gmail-token demo\`; it works with nothing else. Mint a real one with \`gmail-token mint\`.`;
    expect(messages).toEqual([`${says(envFile)} If a real token has since been written into it, delete its first line.`, says(kept), says('token.json')]);
    for (const message of messages) for (const secret of [DEMO.refreshToken, DEMO.accessToken, DEMO.clientSecret]) expect(message).not.toContain(secret);
  });
});
