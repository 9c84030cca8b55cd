import { describe, expect, it } from 'vitest';
import { parseCredentials, webLoopbackRedirect } from '../../src/core/credentials.js';
import { UsageError } from '../../src/core/errors.js';

const installed = {
  installed: {
    client_id: '123-abc.apps.googleusercontent.com',
    project_id: 'demo',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    client_secret: 'GOCSPX-secret',
    redirect_uris: ['http://localhost'],
  },
};

function usageMessage(text: string): string {
  try {
    parseCredentials(text, 'credentials.json');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCredentials', () => {
  it('reads a Desktop client as Cloud Console downloads it', () => {
    const client = parseCredentials(JSON.stringify(installed), 'credentials.json');
    expect(client).toMatchObject({ type: 'installed', clientId: '123-abc.apps.googleusercontent.com', tokenUri: 'https://oauth2.googleapis.com/token' });
  });

  it('reads a Web client and finds its loopback URI with a port', () => {
    const web = { web: { ...installed.installed, redirect_uris: ['https://example.com/cb', 'http://127.0.0.1:8085/oauth2callback'] } };
    const client = parseCredentials(JSON.stringify(web), 'web.json');
    expect(webLoopbackRedirect(client, 'web.json')).toEqual({ hostname: '127.0.0.1', port: 8085, path: '/oauth2callback' });
  });

  it.each([
    ['', /is empty/],
    ['   \n', /is empty/],
    ['{not json', /is not valid JSON/],
    ['[]', /holds an array/],
    ['42', /holds a number/],
    ['null', /holds null/],
    ['{"type":"service_account","private_key":"k","client_email":"x@y"}', /service-account key.*Desktop app/],
    ['{"type":"authorized_user","refresh_token":"1//x","client_id":"a","client_secret":"b"}', /token file/],
    ['{"other":{}}', /neither an "installed" nor a "web"/],
    ['{"installed":[]}', /should be an object but is an array/],
    ['{"installed":{"client_secret":"s"}}', /has no client_id/],
    ['{"installed":{"client_id":"c"}}', /has no client_secret/],
    ['{"installed":{"client_id":5,"client_secret":"s"}}', /client_id should be a string but is a number/],
    ['{"installed":{"client_id":"c","client_secret":"s","redirect_uris":"http://localhost"}}', /redirect_uris should be a list/],
    ['{"web":{"client_id":"c","client_secret":"s","redirect_uris":["https://example.com/cb","http://localhost/cb"]}}', /no loopback redirect URI with a port.*Desktop app/],
  ])('rejects %j with its own message', (text, message) => {
    expect(usageMessage(text)).toMatch(message);
  });

  it('never puts the client secret in a message', () => {
    const text = JSON.stringify({ web: { client_id: 'c', client_secret: 'GOCSPX-do-not-print', redirect_uris: [] } });
    expect(usageMessage(text)).not.toContain('GOCSPX-do-not-print');
  });
});
