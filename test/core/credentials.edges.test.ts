import { describe, expect, it } from 'vitest';
import { clientFromValues, parseCredentials, webLoopbackRedirect, type OAuthClient } from '../../src/core/credentials.js';
import { usageMessage } from '../helpers/usage.js';

describe('credentials', () => {
  const web = (uris: unknown) => JSON.stringify({ web: { client_id: 'w', client_secret: 's', redirect_uris: uris } });

  it('says what to download for a token file, naming --credentials', () => {
    for (const file of [{ refresh_token: 'r' }, { type: 'authorized_user', installed: { client_id: 'c', client_secret: 's' } }]) {
      expect(usageMessage(() => parseCredentials(JSON.stringify(file), 't.json'))).toBe(
        't.json is a token file (like token.json), not an OAuth client. Pass the credentials.json of the OAuth client with --credentials.',
      );
    }
  });

  it('--client-id and --client-secret make a Desktop app client', () => {
    expect(clientFromValues('c', 's')).toEqual({ type: 'installed', clientId: 'c', clientSecret: 's', redirectUris: [] });
  });

  it('reads every field of an installed client, redirect URIs optional', () => {
    expect(parseCredentials(JSON.stringify({ installed: { client_id: 'c', client_secret: 's', auth_uri: 'https://a', token_uri: 'https://t' } }), 'f')).toEqual({
      type: 'installed',
      clientId: 'c',
      clientSecret: 's',
      authUri: 'https://a',
      tokenUri: 'https://t',
      redirectUris: [],
    });
  });

  it('refuses a section that is not an object, and redirect URIs that are not all strings', () => {
    expect(usageMessage(() => parseCredentials(JSON.stringify({ installed: [] }), 'f'))).toMatch(/^f: installed should be an object but is /);
    expect(usageMessage(() => parseCredentials(JSON.stringify({ installed: null }), 'f'))).toMatch(/^f: installed should be an object but is null\./);
    expect(usageMessage(() => parseCredentials(JSON.stringify({ installed: 'x' }), 'f'))).toMatch(/^f: installed should be an object but is a string\./);
    expect(usageMessage(() => parseCredentials(web(['http://127.0.0.1:1/cb', 7]), 'f'))).toMatch(/^f: web\.redirect_uris should be a list of URIs\. Download the JSON of an OAuth client ID of type "Desktop app" from Google Cloud Console \(APIs & Services → Credentials\)\.$/);
  });

  it('a Web client listens on its first loopback URI with a port: http, 127.0.0.1 or localhost, no query or fragment', () => {
    const client = (uris: string[]): OAuthClient => ({ type: 'web', clientId: 'w', clientSecret: 's', redirectUris: uris });
    const skipped = ['https://127.0.0.1:1/a', 'http://example.com:1/a', 'http://127.0.0.1/a', 'http://127.0.0.1:1/a?x=1', 'http://127.0.0.1:1/a#f', 'not a uri'];
    expect(webLoopbackRedirect(client([...skipped, 'http://localhost:8/cb', 'http://127.0.0.1:9/cb']), 'f')).toEqual({ hostname: 'localhost', port: 8, path: '/cb' });
    for (const uri of skipped) {
      expect(usageMessage(() => webLoopbackRedirect(client([uri]), 'f.json'))).toBe(
        'The Web client in f.json has no loopback redirect URI with a port. Add http://127.0.0.1:8085/oauth2callback to its Authorized redirect URIs in Cloud Console, or use a Desktop app client instead.',
      );
    }
  });
});
