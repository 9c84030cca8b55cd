import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { loadClient, type ClientSources } from '../../src/oauth/client-source.js';
import { rejectionOf } from '../helpers/usage.js';
import { makeWorkspace } from '../helpers/workspace.js';

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
