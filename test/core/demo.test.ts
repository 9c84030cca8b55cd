import { describe, expect, it } from 'vitest';
import { isKeptEnv, keptByDemo, keptEnv, keptTokenJson } from '../../src/core/demo.js';
import { envEntries, envText, tokenJson, type MintedToken } from '../../src/core/output.js';
import { parseTokenFile } from '../../src/core/stored-token.js';
import { usageMessage } from '../helpers/usage.js';

const MINTED: MintedToken = {
  clientId: 'id.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-secret',
  refreshToken: '1//0refresh',
  accessToken: 'ya29.access',
  tokenUri: 'http://127.0.0.1:9/token',
  scopes: ['https://www.googleapis.com/auth/gmail.send'],
  expiry: new Date('2026-11-28T12:59:59.000Z'),
  account: 'you@example.com',
};

describe("the files the demo keeps, marked as the emulator's", () => {
  it("token.json: mint's fields after a note under gmail_token_demo, two-space indented, newline-ended; the real commands refuse it", () => {
    const text = keptTokenJson(MINTED);
    const record = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(record)[0]).toBe('gmail_token_demo');
    expect(record.gmail_token_demo).toMatch(/^Emulator token from `gmail-token demo`: .*Mint a real one with `gmail-token mint`\.$/);
    expect(Object.fromEntries(Object.entries(record).slice(1))).toEqual(JSON.parse(tokenJson(MINTED)));
    expect(text).toBe(JSON.stringify(record, null, 2) + '\n');
    expect(usageMessage(() => parseTokenFile(text, 'kept.json'))).toBe(
      'kept.json holds an emulator token kept by `gmail-token demo`; it works with nothing else. Mint a real one with `gmail-token mint`.',
    );
  });

  it(".env: a comment line naming the demo, then mint's env lines; only a file starting with it is the demo's", () => {
    const text = keptEnv(MINTED);
    const [first, ...rest] = text.split('\n');
    expect(first).toMatch(/^# gmail_token_demo: Emulator token from `gmail-token demo`: /);
    expect(rest.join('\n')).toBe(envText(envEntries('GMAIL_API_', MINTED)));
    expect(isKeptEnv(text)).toBe(true);
    expect(isKeptEnv(`X=1\n${first ?? ''}`)).toBe(false);
    expect(isKeptEnv(envText(envEntries('GMAIL_API_', MINTED)))).toBe(false);
  });

  it('the refusal of a kept .env also says how to keep a real token written into it', () => {
    expect(keptByDemo('.env', '.env')).toBe(
      '.env holds an emulator token kept by `gmail-token demo`; it works with nothing else. Mint a real one with `gmail-token mint`. If a real token has since been written into it, delete its first line.',
    );
    expect(keptByDemo('token.json', 'token.json')).toBe(
      'token.json holds an emulator token kept by `gmail-token demo`; it works with nothing else. Mint a real one with `gmail-token mint`.',
    );
  });
});
