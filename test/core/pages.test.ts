import { describe, expect, it } from 'vitest';
import { PAGE_HEADERS, errorPage, escapeHtml, partialPage, successPage } from '../../src/core/pages.js';

const SEND = 'https://www.googleapis.com/auth/gmail.send';

const G = 'https://www.googleapis.com/auth/gmail.';

describe('the pages the loopback server shows', () => {
  it('escape everything that came from the network, and are locked down by their headers', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    const hostile = '<script>alert(1)</script>';
    for (const html of [errorPage(hostile, hostile), successPage([hostile]), partialPage([hostile], [hostile])]) {
      expect(html).not.toContain('<script>');
      expect(html).toContain('&#60;script&#62;');
    }
    expect(PAGE_HEADERS['Content-Security-Policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(PAGE_HEADERS).toMatchObject({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY' });
  });

  it('say what was granted, what is missing, and what Google answered, with advice for known errors', () => {
    const success = successPage([SEND]);
    expect(success).toContain('<title>You can close this tab · gmail-token</title>');
    expect(success).toMatch(/<li><span class="meaning">[^<]+<\/span><code>https:\/\/www\.googleapis\.com\/auth\/gmail\.send<\/code><\/li>/);
    expect(successPage([])).toContain('<li>No scopes were listed in Google’s answer.</li>');
    const partial = partialPage([], [SEND]);
    expect(partial).toMatch(/<h2>Not granted<\/h2>\s*<ul class="scopes"><li>.*gmail\.send/);
    expect(partial).toContain('<li>Nothing.</li>');
    expect(partial).toContain('<main class="bad">');
    expect(success).toContain('<main class="ok">');
    expect(errorPage('access_denied')).toContain('Access was denied on Google’s consent screen');
    expect(errorPage('admin_policy_enforced')).toContain('Your Google Workspace administrator does not allow this app');
    expect(errorPage('org_internal')).toContain('limited to accounts of its own Google Workspace organisation');
    const unknown = errorPage('server_error', 'try later');
    expect(unknown).toContain('Google ended the sign-in with an error instead of a code');
    expect(unknown).toContain('Google’s answer: <code>server_error</code>: try later</p>');
    expect(errorPage('server_error')).toContain('Google’s answer: <code>server_error</code></p>');
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
