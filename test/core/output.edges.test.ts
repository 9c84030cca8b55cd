import { describe, expect, it } from 'vitest';
import { mergeDotenv } from '../../src/core/dotenv-merge.js';
import { FORMATS, checkEnvOutput, defaultOut, envEntries, parseEnvPrefix, parseFormat, renderOutput, type MintedToken } from '../../src/core/output.js';
import { usageMessage } from '../helpers/usage.js';

describe('output formats', () => {
  const token: MintedToken = {
    clientId: 'c',
    clientSecret: 's',
    refreshToken: 'r',
    accessToken: 'a',
    tokenUri: 'https://t',
    scopes: ['x'],
    expiry: new Date('2026-01-01T00:00:00Z'),
    account: '',
  };

  it('json, env and shell, each ending in a newline; env merges into an existing file', () => {
    expect(FORMATS).toEqual(['json', 'env', 'shell']);
    for (const format of FORMATS) expect(parseFormat(format)).toBe(format);
    expect(usageMessage(() => parseFormat('yaml'))).toBe('Unknown format "yaml". Use one of: json, env, shell.');
    expect(renderOutput('json', token, 'P_')).toMatch(/^\{\n {2}"type": "authorized_user",\n[\s\S]*\n\}\n$/);
    expect(renderOutput('shell', token, 'P_')).toBe("export P_CLIENT_ID='c'\nexport P_CLIENT_SECRET='s'\nexport P_REFRESH_TOKEN='r'\n");
    expect(renderOutput('env', token, 'P_')).toBe('P_CLIENT_ID=c\nP_CLIENT_SECRET=s\nP_REFRESH_TOKEN=r\n');
    expect(mergeDotenv('OTHER=1\n', envEntries('P_', token))).toBe('OTHER=1\nP_CLIENT_ID=c\nP_CLIENT_SECRET=s\nP_REFRESH_TOKEN=r\n');
  });

  it('token.json by default for json, stdout for env and shell', () => {
    expect([defaultOut('json'), defaultOut('env'), defaultOut('shell')]).toEqual(['token.json', '-', '-']);
  });

  it('an env prefix is a variable-name start, or empty', () => {
    for (const prefix of ['', 'A', '_X9_', 'GMAIL_API_']) expect(parseEnvPrefix(prefix)).toBe(prefix);
    for (const bad of ['9A', 'A-B', 'A B', ' A', 'A.', 'É']) {
      expect(usageMessage(() => parseEnvPrefix(bad))).toBe(`--env-prefix "${bad}" is not usable in a variable name. Use letters, digits and _, e.g. GMAIL_API_.`);
    }
  });

  it('checks before the flow that the env lines can be written, or the .env updated', () => {
    expect(() => checkEnvOutput({ clientId: 'c', clientSecret: 's' }, 'P_')).not.toThrow();
    expect(() => checkEnvOutput({ clientId: 'c', clientSecret: `'"\`x\\y` }, 'P_')).toThrow(/^P_CLIENT_SECRET holds characters that no dotenv quoting keeps/);
    expect(() => checkEnvOutput({ clientId: 'c', clientSecret: 's' }, 'P_', Buffer.from('P_REFRESH_TOKEN=old # c\u2028NEXT=1\n'))).toThrow(/^The \.env cannot be updated/);
    expect(() => checkEnvOutput({ clientId: 'c', clientSecret: 's' }, 'P_', Buffer.from('OTHER=1\n'))).not.toThrow();
  });
});
