import { describe, expect, it } from 'vitest';
import dotenv from 'dotenv';
import { mergeDotenv } from '../../src/core/dotenv-merge.js';
import { envEntries, envText, renderOutput, shellText, tokenJson, type MintedToken } from '../../src/core/output.js';

const token: MintedToken = {
  clientId: 'id.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-s3cr3t',
  refreshToken: '1//0refresh-token_x',
  accessToken: 'ya29.access',
  tokenUri: 'https://oauth2.googleapis.com/token',
  scopes: ['https://www.googleapis.com/auth/gmail.send'],
  expiry: new Date('2026-11-27T12:00:00.000Z'),
  account: 'me@example.com',
};

describe('tokenJson', () => {
  it('has every field that the Google client libraries read', () => {
    const file = JSON.parse(tokenJson(token));
    expect(file).toEqual({
      type: 'authorized_user',
      client_id: token.clientId,
      client_secret: token.clientSecret,
      refresh_token: token.refreshToken,
      token_uri: token.tokenUri,
      scopes: token.scopes,
      token: token.accessToken,
      expiry: '2026-11-27T12:00:00.000Z',
      universe_domain: 'googleapis.com',
      account: 'me@example.com',
    });
  });

  it('records refresh_token_expiry only when Google gave one', () => {
    const file = JSON.parse(tokenJson({ ...token, refreshTokenExpiry: new Date('2026-12-04T12:00:00Z') }));
    expect(file.refresh_token_expiry).toBe('2026-12-04T12:00:00.000Z');
  });
});

describe('env and shell', () => {
  it('writes the three django-gmailapi-backend names, bare where dotenv allows', () => {
    expect(envText(envEntries('GMAIL_API_', token))).toBe(
      'GMAIL_API_CLIENT_ID=id.apps.googleusercontent.com\nGMAIL_API_CLIENT_SECRET=GOCSPX-s3cr3t\nGMAIL_API_REFRESH_TOKEN=1//0refresh-token_x\n',
    );
  });

  it('quotes values dotenv would otherwise misread, and they read back unchanged', () => {
    const odd = { ...token, clientSecret: "has space # and 'quote'", refreshToken: 'a#b c' };
    const text = envText(envEntries('X_', odd));
    const values = dotenv.parse(text);
    expect(values.X_CLIENT_SECRET).toBe(odd.clientSecret);
    expect(values.X_REFRESH_TOKEN).toBe('a#b c');
  });

  it('shell lines survive a quote in the value', () => {
    expect(shellText([['A', "it's"]])).toBe("export A='it'\\''s'\n");
  });

  it('uses the prefix given', () => {
    expect(renderOutput('env', token, 'MY_')).toMatch(/^MY_CLIENT_ID=/);
  });
});

describe('mergeDotenv', () => {
  const entries = envEntries('GMAIL_API_', token);

  it('updates the three keys in place and keeps every other line byte for byte', () => {
    const before = '# settings\nDEBUG=1\nGMAIL_API_REFRESH_TOKEN=old\n  SPACED = keep  \nexport GMAIL_API_CLIENT_ID=old\nTAIL=x';
    const after = mergeDotenv(before, entries);
    expect(after).toBe(
      '# settings\nDEBUG=1\nGMAIL_API_REFRESH_TOKEN=1//0refresh-token_x\n  SPACED = keep  \nexport GMAIL_API_CLIENT_ID=id.apps.googleusercontent.com\nTAIL=x\nGMAIL_API_CLIENT_SECRET=GOCSPX-s3cr3t\n',
    );
  });

  it('keeps a CRLF file CRLF', () => {
    const after = mergeDotenv('A=1\r\nGMAIL_API_CLIENT_ID=old\r\n', entries);
    expect(after).toBe('A=1\r\nGMAIL_API_CLIENT_ID=id.apps.googleusercontent.com\r\nGMAIL_API_CLIENT_SECRET=GOCSPX-s3cr3t\r\nGMAIL_API_REFRESH_TOKEN=1//0refresh-token_x\r\n');
  });

  it('is idempotent', () => {
    const once = mergeDotenv('A=1\n', entries);
    expect(mergeDotenv(once, entries)).toBe(once);
  });

  it('leaves alone a line inside another key\'s multi-line value, even one that looks like ours', () => {
    const before = 'KEY="-----BEGIN KEY-----\nGMAIL_API_REFRESH_TOKEN=not-an-assignment\n-----END KEY-----"\nGMAIL_API_REFRESH_TOKEN=old\n';
    const after = mergeDotenv(before, entries);
    expect(after).toBe(
      'KEY="-----BEGIN KEY-----\nGMAIL_API_REFRESH_TOKEN=not-an-assignment\n-----END KEY-----"\nGMAIL_API_REFRESH_TOKEN=1//0refresh-token_x\n' +
        'GMAIL_API_CLIENT_ID=id.apps.googleusercontent.com\nGMAIL_API_CLIENT_SECRET=GOCSPX-s3cr3t\n',
    );
    expect(dotenv.parse(after).KEY).toBe(dotenv.parse(before).KEY);
  });

  it('replaces every line of one of our keys whose old value ran over several lines', () => {
    const after = mergeDotenv("A=1\r\nGMAIL_API_CLIENT_SECRET='old\r\nstill old'\r\nB=2\r\n", entries);
    expect(after).toBe(
      'A=1\r\nGMAIL_API_CLIENT_SECRET=GOCSPX-s3cr3t\r\nB=2\r\nGMAIL_API_CLIENT_ID=id.apps.googleusercontent.com\r\nGMAIL_API_REFRESH_TOKEN=1//0refresh-token_x\r\n',
    );
  });
});
