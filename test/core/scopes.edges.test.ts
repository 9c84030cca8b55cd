import { describe, expect, it } from 'vitest';
import { SHORT_SCOPES, canSend, expandScopes, grantsEmail, missingScopes, parseScopeString, scopeMeaning } from '../../src/core/scopes.js';
import { usageMessage } from '../helpers/usage.js';

const G = 'https://www.googleapis.com/auth/gmail.';

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
