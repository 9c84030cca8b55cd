import { describe, expect, it } from 'vitest';
import { consentUrl, parseCallback, parsePasted } from '../../src/core/consent.js';
import { clientFromValues, parseCredentials, webLoopbackRedirect, type OAuthClient } from '../../src/core/credentials.js';
import { dotenvValue, parseDotenv } from '../../src/core/dotenv.js';
import { mergeDotenv } from '../../src/core/dotenv-merge.js';
import { InterruptedError, UsageError } from '../../src/core/errors.js';
import { errorPage, partialPage, successPage } from '../../src/core/pages.js';
import { FORMATS, checkEnvOutput, defaultOut, envEntries, parseEnvPrefix, parseFormat, renderOutput, type MintedToken } from '../../src/core/output.js';
import { SHORT_SCOPES, canSend, expandScopes, grantsEmail, missingScopes, parseScopeString, scopeMeaning } from '../../src/core/scopes.js';
import { usageMessage } from '../helpers/usage.js';

/** Cases that `npm run mutation` showed no test noticed, in src/core's parsing and judging. */

const G = 'https://www.googleapis.com/auth/gmail.';
const EXPECTED = { path: '/cb', state: 'our-state' };

describe('scopes', () => {
  it('a full URL is kept only when it starts the name, http or https', () => {
    expect(expandScopes(['http://example.com/scope'])).toEqual(['http://example.com/scope']);
    expect(usageMessage(() => expandScopes(['x-https://example.com/scope']))).toBe(
      `Unknown scope "x-https://example.com/scope". Use a full scope URL or one of: ${[...SHORT_SCOPES.keys()].join(', ')}.`,
    );
    expect([...SHORT_SCOPES.keys()].slice(0, 3)).toEqual(['gmail.send', 'send', 'gmail.readonly']);
  });

  it('empty pieces between separators are skipped, and nothing at all is the default', () => {
    expect(expandScopes([' send,, email ', ''])).toEqual([G + 'send', 'email']);
    expect(expandScopes([', '])).toEqual([G + 'send']);
    expect(parseScopeString('  openid   email ')).toEqual(['openid', 'email']);
    expect(parseScopeString(undefined)).toEqual([]);
  });

  it('can send with any one sending scope among others, each of the four', () => {
    for (const scope of [G + 'send', G + 'compose', G + 'modify', 'https://mail.google.com/']) expect(canSend(['email', scope])).toBe(true);
    expect(canSend([G + 'insert', G + 'labels'])).toBe(false);
  });

  it('knows the account address only when email is granted, by either name', () => {
    expect(grantsEmail(['openid', 'email'])).toBe(true);
    expect(grantsEmail([G + 'send', 'https://www.googleapis.com/auth/userinfo.email'])).toBe(true);
    expect(grantsEmail([G + 'send', 'profile', 'https://www.googleapis.com/auth/userinfo.profile'])).toBe(false);
    expect(grantsEmail([])).toBe(false);
  });

  it("Google's long name for profile is the same grant", () => {
    expect(missingScopes(['profile', 'email'], ['https://www.googleapis.com/auth/userinfo.profile', 'https://www.googleapis.com/auth/userinfo.email'])).toEqual([]);
    expect(missingScopes(['profile'], ['openid'])).toEqual(['profile']);
  });

  it('every scope a short name gives, and the long names Google reports, has its own meaning for the pages', () => {
    const scopes = [...new Set(SHORT_SCOPES.values()), 'https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/userinfo.profile'];
    for (const scope of scopes) expect(scopeMeaning(scope), scope).toMatch(/^[A-Z].{20,}[a-z]$/);
    const meanings = scopes.filter((scope) => !['email', 'profile'].includes(scope)).map(scopeMeaning);
    expect(new Set(meanings).size).toBe(meanings.length);
    expect(scopeMeaning('email')).toBe(scopeMeaning('https://www.googleapis.com/auth/userinfo.email'));
    expect(scopeMeaning('profile')).toBe(scopeMeaning('https://www.googleapis.com/auth/userinfo.profile'));
    expect(scopeMeaning('https://www.googleapis.com/auth/drive')).toBeUndefined();
  });
});

describe('consent URL and callback', () => {
  const request = { clientId: 'c', redirectUri: 'http://127.0.0.1:1/cb', scopes: ['a', 'b'], state: 's', codeChallenge: 'ch' };

  it('carries a login hint only when there is one', () => {
    expect(new URL(consentUrl('https://x/auth', request)).searchParams.has('login_hint')).toBe(false);
    expect(new URL(consentUrl('https://x/auth', { ...request, loginHint: '' })).searchParams.has('login_hint')).toBe(false);
    expect(new URL(consentUrl('https://x/auth', { ...request, loginHint: 'a@b.c' })).searchParams.get('login_hint')).toBe('a@b.c');
  });

  it('a request with no query at all is refused, not read', () => {
    expect(parseCallback('/cb', EXPECTED)).toEqual({ kind: 'rejected', reason: 'state does not match' });
    expect(parseCallback('/cb?state=our-state', EXPECTED)).toEqual({ kind: 'rejected', reason: 'no code and no error' });
  });

  it('an error keeps its description only when Google gave one', () => {
    expect(parseCallback('/cb?state=our-state&error=access_denied', EXPECTED)).toStrictEqual({ kind: 'error', error: 'access_denied' });
    expect(parseCallback('/cb?state=our-state&error=x&error_description=why%20not', EXPECTED)).toStrictEqual({ kind: 'error', error: 'x', description: 'why not' });
    expect(parseCallback('/cb?state=our-state&error=x&error=y', EXPECTED)).toEqual({ kind: 'rejected', reason: 'no code and no error' });
  });

  it('a pasted URL or code, judged, with a reason for each refusal', () => {
    const url = 'http://127.0.0.1:1/cb?state=our-state&code=4%2F0abc&scope=a%20b';
    expect(parsePasted(`  ${url}\n`, EXPECTED)).toEqual({ kind: 'code', code: '4/0abc', scopes: ['a', 'b'] });
    expect(parsePasted('HTTPS://127.0.0.1:1/cb?state=our-state&error=access_denied', EXPECTED)).toEqual({ kind: 'error', error: 'access_denied' });
    expect(parsePasted(' \n', EXPECTED)).toEqual({ kind: 'invalid', problem: 'Nothing was pasted.' });
    expect(parsePasted('http://[oops/cb', EXPECTED)).toEqual({ kind: 'invalid', problem: 'That is not a whole URL; copy the full address from the browser.' });
    expect(parsePasted('http://127.0.0.1:1/other?state=our-state&code=x', EXPECTED)).toEqual({ kind: 'invalid', problem: "That URL is not this run's redirect (its path should be /cb)." });
    expect(parsePasted('http://127.0.0.1:1/cb?state=forged&code=x', EXPECTED)).toEqual({
      kind: 'invalid',
      problem: "That URL does not carry this run's state; paste the address from the consent you just gave.",
    });
    expect(parsePasted('4/0abc', EXPECTED)).toEqual({ kind: 'code', code: '4/0abc', scopes: [] });
    const neither = { kind: 'invalid', problem: 'Paste the whole URL from the browser address bar, or just the value of its code parameter.' };
    expect(parsePasted('x http://127.0.0.1:1/cb?state=our-state&code=x', EXPECTED)).toEqual(neither);
    expect(parsePasted('4/0a%E0%A4%A', EXPECTED)).toEqual({ kind: 'invalid', problem: 'That code is not well formed; paste the whole URL instead.' });
    expect(parseCallback('/cb?state=our-state&code=c', EXPECTED)).toEqual({ kind: 'code', code: 'c', scopes: [] });
  });
});

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

describe('the .env reader and merge, exactly', () => {
  it('expands \\n and \\r only inside double quotes, and strips only matching quotes around the whole value', () => {
    expect(parseDotenv('A="x\\ny\\rz"\nB=\'x\\ny\'\nC=`x\\ny`\nD="x\'\nE=\'x\' # c\nF=x"y"')).toEqual(
      new Map([
        ['A', 'x\ny\rz'],
        ['B', 'x\\ny'],
        ['C', 'x\\ny'],
        ['D', '"x\''],
        ['E', 'x'],
        ['F', 'x"y"'],
      ]),
    );
  });

  it('strips quotes only when they open and close the whole value, as dotenv does', () => {
    expect(parseDotenv("Q='a'b'c")).toEqual(new Map([['Q', "'a'b'c"]]));
    // A backtick after other characters opens no multi-line value.
    expect(parseDotenv('A=x`a\nb`\n')).toEqual(new Map([['A', 'x`a']]));
  });

  it('refuses an update that would change the value another line gives a key, even with no key lost', () => {
    // After the update, A's bare value runs over U+2028 into the second NEXT=1, which NEXT=1 above still sets.
    expect(() => mergeDotenv('NEXT=1\nA=old # c\u2028NEXT=1\n', [['A', 'new']])).toThrow(/^The \.env cannot be updated/);
  });

  it('keeps export on the line it updates, and updates in place when every key is there', () => {
    expect(mergeDotenv('export A=old\nB=1\n', [['A', 'new']])).toBe('export A=new\nB=1\n');
    expect(mergeDotenv('  export   A=old\n', [['A', 'new']])).toBe('export A=new\n');
    expect(mergeDotenv('exported_A=old\nA=1', [['A', 'new']])).toBe('exported_A=old\nA=new');
    expect(mergeDotenv('A=1\nA=2\n', [['A', 'new']])).toBe('A=new\nA=new\n');
  });

  it('updates several keys when one of them spans lines, and reads `export` only at the start of a line', () => {
    expect(mergeDotenv('A="x\ny"\nB=old\nC=1\n', [['A', 'a'], ['B', 'b']])).toBe('A=a\nB=b\nC=1\n');
    expect(mergeDotenv('A=old # export me\n', [['A', 'new']])).toBe('A=new\n');
  });

  it('prefers single quotes, which python-dotenv reads the same, over backticks', () => {
    expect(dotenvValue('K', 'a\\b')).toBe("'a\\b'");
    expect(dotenvValue('K', 'say "hi" \\o/')).toBe(`'say "hi" \\o/'`);
    expect(dotenvValue('K', `it's "x" \\ ok`)).toBe(`\`it's "x" \\ ok\``);
  });

  it('appends what is missing after a line end, and a blank line after a last `NAME:` line', () => {
    expect(mergeDotenv('B=1', [['A', 'new']])).toBe('B=1\nA=new\n');
    expect(mergeDotenv('B=1\r\nC=2', [['A', 'new']])).toBe('B=1\r\nC=2\r\nA=new\r\n');
    expect(mergeDotenv('B:', [['A', 'new']])).toBe('B:\n\nA=new\n');
  });

  it('refuses, with the reason, a file whose other keys it would change', () => {
    // U+2028 ends a line for dotenv's regex, but a bare value runs over it: NEXT would be swallowed.
    const swallowing = 'A=old # pasted from a web page\u2028NEXT=1\n';
    expect(() => mergeDotenv(swallowing, [['A', 'new']])).toThrow(/^The \.env cannot be updated so that dotenv still reads every other key as before/);
    expect(() => mergeDotenv(swallowing, [['A', 'new']])).toThrow(UsageError);
  });
});

describe('Ctrl-C', () => {
  it('says nothing was written', () => {
    expect(new InterruptedError().message).toBe('Interrupted; nothing was written.');
  });
});

describe('the loopback pages, as the person reads them', () => {
  const header = (mark: string, kicker: string, title: string) =>
    `<header><span class="mark" aria-hidden="true">${mark}</span>\n<div><p class="kicker">${kicker}</p><h1>${title}</h1></div></header>`;

  it('a scope with no known meaning is listed by name alone; several granted ones one after another', () => {
    expect(successPage(['https://www.googleapis.com/auth/drive'])).toContain('<ul class="scopes"><li><code>https://www.googleapis.com/auth/drive</code></li></ul>');
    expect(partialPage(['openid', 'email'], [G + 'send'])).toMatch(/<h2>Granted<\/h2>\n<ul class="scopes"><li><span class="meaning">[^<]+<\/span><code>openid<\/code><\/li><li><span/);
    expect(errorPage('x')).toContain('<main class="bad">');
  });

  it('success, partial and error pages each say what happened and what to do', () => {
    const success = successPage([G + 'send', G + 'readonly']);
    expect(success).toContain(header('✓', 'Consent received', 'You can close this tab'));
    expect(success).toMatch(/<style>\n {2}:root \{ color-scheme: light dark;/);
    expect(success).toMatch(/gmail\.send<\/code><\/li><li>.*gmail\.readonly<\/code><\/li><\/ul>/);
    const partial = partialPage([G + 'send'], [G + 'readonly', G + 'compose']);
    expect(partial).toContain(header('!', 'Permissions missing', 'No token was made'));
    expect(partial).toMatch(/<h2>Not granted<\/h2>\n<ul class="scopes"><li>.*gmail\.readonly<\/code><\/li><li>.*gmail\.compose<\/code><\/li><\/ul>/);
    expect(partial).toMatch(/<h2>Granted<\/h2>\n<ul class="scopes"><li><span class="meaning">Send email on your behalf<\/span><code>[^<]*gmail\.send<\/code><\/li><\/ul>/);
    const advice: [string, string, string][] = [
      ['access_denied', 'Access was denied on Google’s consent screen', 'choose Allow, leaving every permission ticked'],
      ['admin_policy_enforced', 'administrator does not allow this app', 'Ask your administrator to trust this OAuth client'],
      ['org_internal', 'limited to accounts of its own Google Workspace organisation', 'set the app’s user type to External'],
      ['invalid_scope', 'Google ended the sign-in with an error instead of a code', 'Read the message in your terminal, fix what it names'],
    ];
    for (const [error, what, next] of advice) {
      const html = errorPage(error, 'said');
      expect(html).toContain(header('!', 'Sign-in stopped', 'No token was made'));
      expect(html).toMatch(new RegExp(`<p class="lead">[^<]*${what}[^<]*</p>`));
      expect(html).toMatch(new RegExp(`<h2>What to do next</h2><p>[^<]*${next}[^<]*</p>`));
      expect(html).toContain(`Google’s answer: <code>${error}</code>: said</p>`);
    }
    expect(errorPage('toString')).toContain('Google ended the sign-in with an error instead of a code');
  });
});
