import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keptEnv, keptTokenJson } from '../../src/core/demo.js';
import { UsageError } from '../../src/core/errors.js';
import { loadClient, type ClientSources } from '../../src/oauth/client-source.js';
import { findStoredToken, type TokenSources } from '../../src/oauth/stored-token.js';
import { makeWorkspace } from '../helpers/workspace.js';
import { rejectionOf } from '../helpers/usage.js';

/**
 * Where `mint` finds its client and `check`/`revoke`/`access-token` their token
 * (src/oauth/client-source.ts, src/oauth/stored-token.ts), in this process for `npm run mutation`:
 * the CLI tests that cover the same precedence run dist/, never the mutant.
 */
let ws: ReturnType<typeof makeWorkspace>;
beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(() => ws.cleanup());

const WHERE =
  'Create one in Google Cloud Console (APIs & Services → Credentials → Create credentials → OAuth client ID → Desktop app), download its JSON';

/** A client file whose id names where it was found, so the test sees which source won. */
function clientFile(name: string, id = name): string {
  return ws.file(name, JSON.stringify({ installed: { client_id: `${id}.apps.googleusercontent.com`, client_secret: `GOCSPX-${id}`, redirect_uris: ['http://localhost'] } }));
}

const load = (sources: Partial<ClientSources>) => loadClient({ env: {}, cwd: ws.dir, ...sources });

const usage = async (promise: Promise<unknown>): Promise<string> => (await rejectionOf(promise, UsageError)).message;

describe('loadClient: flags, then the environment, then ./credentials.json, then the question', () => {
  const ENV_BOTH = { GOOGLE_CLIENT_ID: 'env-id', GOOGLE_CLIENT_SECRET: 'env-secret' };

  it('--credentials reads that file, and wins over the environment and ./credentials.json', async () => {
    const given = clientFile('given.json', 'flag-file');
    clientFile('credentials.json', 'local');
    const loaded = await load({ credentials: given, env: { ...ENV_BOTH, GMAIL_TOKEN_CREDENTIALS: clientFile('env.json') } });
    expect(loaded).toEqual({
      client: { type: 'installed', clientId: 'flag-file.apps.googleusercontent.com', clientSecret: 'GOCSPX-flag-file', authUri: undefined, tokenUri: undefined, redirectUris: ['http://localhost'] },
      source: given,
    });
  });

  it('--client-id with --client-secret is a Desktop client, and wins over the environment and ./credentials.json', async () => {
    clientFile('credentials.json', 'local');
    const loaded = await load({ clientId: 'flag-id', clientSecret: 'flag-secret', env: { ...ENV_BOTH, GMAIL_TOKEN_CREDENTIALS: clientFile('env.json') } });
    expect(loaded).toEqual({ client: { type: 'installed', clientId: 'flag-id', clientSecret: 'flag-secret', redirectUris: [] }, source: '--client-id and --client-secret' });
  });

  it('refuses --credentials together with either value flag, before reading anything', async () => {
    const message = 'Give either --credentials or --client-id with --client-secret, not both.';
    for (const flags of [{ clientId: 'id' }, { clientSecret: 'flag-secret' }, { clientId: '', clientSecret: '' }]) {
      expect(await usage(load({ credentials: join(ws.dir, 'missing.json'), ...flags }))).toBe(message);
    }
  });

  it('refuses one value flag without the other, without showing the one given', async () => {
    const message = 'Give both --client-id and --client-secret.';
    expect(await usage(load({ clientId: 'flag-id' }))).toBe(message);
    expect(await usage(load({ clientSecret: 'GOCSPX-flag-secret' }))).toBe(message);
    expect(await usage(load({ clientId: 'flag-id', clientSecret: '' }))).toBe(message);
    expect(await usage(load({ clientId: '', clientSecret: 'GOCSPX-flag-secret', env: ENV_BOTH }))).toBe(message);
  });

  it('$GMAIL_TOKEN_CREDENTIALS names the file, and wins over the client id and secret variables', async () => {
    const file = clientFile('env.json', 'env-file');
    clientFile('credentials.json', 'local');
    const loaded = await load({ env: { ...ENV_BOTH, GMAIL_TOKEN_CREDENTIALS: file } });
    expect(loaded.source).toBe(file);
    expect(loaded.client.clientId).toBe('env-file.apps.googleusercontent.com');
  });

  it('$GOOGLE_CLIENT_ID with $GOOGLE_CLIENT_SECRET win over ./credentials.json; an empty file variable is unset', async () => {
    clientFile('credentials.json', 'local');
    const loaded = await load({ env: { ...ENV_BOTH, GMAIL_TOKEN_CREDENTIALS: '' } });
    expect(loaded).toEqual({ client: { type: 'installed', clientId: 'env-id', clientSecret: 'env-secret', redirectUris: [] }, source: '$GOOGLE_CLIENT_ID and $GOOGLE_CLIENT_SECRET' });
  });

  it('refuses one client variable without the other, even with ./credentials.json here, without showing its value', async () => {
    clientFile('credentials.json', 'local');
    const message = 'Give both $GOOGLE_CLIENT_ID and $GOOGLE_CLIENT_SECRET.';
    expect(await usage(load({ env: { GOOGLE_CLIENT_ID: 'env-id' } }))).toBe(message);
    expect(await usage(load({ env: { GOOGLE_CLIENT_SECRET: 'GOCSPX-env-secret' } }))).toBe(message);
    expect(await usage(load({ env: { GOOGLE_CLIENT_ID: 'env-id', GOOGLE_CLIENT_SECRET: '' } }))).toBe(message);
  });

  it('else ./credentials.json of the working folder, and the question is not asked', async () => {
    const local = clientFile('credentials.json', 'local');
    const asked: string[] = [];
    const loaded = await load({ env: { GOOGLE_CLIENT_ID: '', GOOGLE_CLIENT_SECRET: '' }, askForCredentials: async (why) => {
      asked.push(why);
      return undefined;
    },
    });
    expect(loaded.source).toBe(local);
    expect(loaded.client.clientId).toBe('local.apps.googleusercontent.com');
    expect(asked).toEqual([]);
  });

  it('else asks on the terminal, explaining where a client file comes from, and reads the path given', async () => {
    const given = clientFile('downloaded.json', 'answered');
    mkdirSync(join(ws.dir, 'empty'));
    const asked: string[] = [];
    const loaded = await load({ cwd: join(ws.dir, 'empty'), askForCredentials: async (why) => (asked.push(why), given) });
    expect(asked).toEqual([`No credentials.json here. ${WHERE}.`]);
    expect(loaded.source).toBe(given);
    expect(loaded.client.clientId).toBe('answered.apps.googleusercontent.com');
  });

  it('with no answer, or no terminal to ask on, says where to get one (exit 2)', async () => {
    const message = `No credentials.json here. ${WHERE} as credentials.json, or pass --credentials.`;
    expect(await usage(load({}))).toBe(message);
    expect(await usage(load({ askForCredentials: async () => undefined }))).toBe(message);
    expect(await usage(load({ askForCredentials: async () => '' }))).toBe(message);
  });

  it('a named file that is missing says how to get one and pass it', async () => {
    const missing = join(ws.dir, 'nope.json');
    const hint = `${WHERE}, and pass it with --credentials.`;
    expect(await usage(load({ credentials: missing }))).toBe(`The credentials file ${missing} does not exist. ${hint}`);
    expect(await usage(load({ env: { GMAIL_TOKEN_CREDENTIALS: missing } }))).toBe(`The credentials file ${missing} does not exist. ${hint}`);
    expect(await usage(load({ askForCredentials: async () => missing }))).toBe(`The credentials file ${missing} does not exist. ${hint}`);
  });
});

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

describe('findStoredToken: --token, --token-file, --env-file, the environment, ./token.json', () => {
  it('--token wins over every other source; "ya29." marks an access token, anything else is a refresh token', async () => {
    const all = { tokenFile: ws.file('t.json', tokenJson('1//file')), envFile: ws.file('.env', 'GMAIL_API_REFRESH_TOKEN=1//dotenv\n'), env: ENV };
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

  it('--token-file wins over --env-file, the environment and ./token.json, and is the file a refreshed token goes back to', async () => {
    const file = ws.file('t.json', tokenJson('1//file'));
    ws.file('token.json', tokenJson('1//local'));
    const found = await find({ tokenFile: file, envFile: ws.file('.env', 'GMAIL_API_REFRESH_TOKEN=1//dotenv\n'), env: ENV });
    expect(found).toMatchObject({ source: file, file, refreshToken: '1//file', clientId: 'file-id', clientSecret: 'file-secret' });
  });

  it('--env-file wins over the environment and ./token.json, with the prefix given', async () => {
    ws.file('token.json', tokenJson('1//local'));
    const envFile = ws.file('.env', 'OTHER=1\nMY_REFRESH_TOKEN=1//dotenv\nMY_CLIENT_ID=dotenv-id\nMY_CLIENT_SECRET="dotenv secret"\n');
    const found = await find({ envFile, envPrefix: 'MY_', env: { ...ENV, MY_REFRESH_TOKEN: '1//env' } });
    expect(found).toEqual({ source: envFile, refreshToken: '1//dotenv', clientId: 'dotenv-id', clientSecret: 'dotenv secret' });
    expect(found.file).toBeUndefined();
  });

  it('an --env-file without the refresh token names the file and the variable, and does not fall back', async () => {
    ws.file('token.json', tokenJson('1//local'));
    const envFile = ws.file('.env', 'GMAIL_API_CLIENT_SECRET=env-file-secret\n');
    const message = await usage(find({ envFile, env: ENV }));
    expect(message).toBe(`${envFile} has no GMAIL_API_REFRESH_TOKEN. Check the file, or --env-prefix if your names differ.`);
    expect(message).not.toContain('env-file-secret');
  });

  it('a missing --env-file or --token-file is refused by name', async () => {
    const missing = join(ws.dir, 'gone');
    expect(await usage(find({ envFile: missing, env: ENV }))).toBe(`The env file ${missing} does not exist.`);
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
      'No token found. Pass --token, --token-file or --env-file, set MY_REFRESH_TOKEN, or run where token.json is.',
    );
  });

  it('refuses the files the demo kept, wherever they are found, without showing their secrets', async () => {
    const envFile = ws.file('kept.env', keptEnv(DEMO));
    const kept = ws.file('kept.json', keptTokenJson(DEMO));
    const messages = [
      await usage(find({ envFile })),
      await usage(find({ tokenFile: kept })),
      (ws.file('token.json', keptTokenJson(DEMO)), await usage(find({}))),
    ];
    const says = (where: string) => `${where} holds an emulator token kept by \`gmail-token demo\`; it works with nothing else. Mint a real one with \`gmail-token mint\`.`;
    expect(messages).toEqual([`${says(envFile)} If a real token has since been written into it, delete its first line.`, says(kept), says('token.json')]);
    for (const message of messages) for (const secret of [DEMO.refreshToken, DEMO.accessToken, DEMO.clientSecret]) expect(message).not.toContain(secret);
  });
});
