import { describe, expect, it } from 'vitest';
import { canSend, expandScopes, missingScopes } from '../../src/core/scopes.js';

const G = 'https://www.googleapis.com/auth/gmail.';

describe('expandScopes', () => {
  it('defaults to gmail.send', () => {
    expect(expandScopes([])).toEqual([G + 'send']);
  });

  it('expands short names, repeated and comma/space separated, without duplicates', () => {
    expect(expandScopes(['send,readonly', 'gmail.send email', 'full'])).toEqual([G + 'send', G + 'readonly', 'email', 'https://mail.google.com/']);
  });

  it('expands every documented short name', () => {
    for (const name of ['compose', 'modify', 'insert', 'labels', 'metadata']) {
      expect(expandScopes([name])).toEqual([G + name]);
      expect(expandScopes([`gmail.${name}`])).toEqual([G + name]);
    }
    expect(expandScopes(['gmail.settings.basic', 'gmail.settings.sharing'])).toEqual([G + 'settings.basic', G + 'settings.sharing']);
    expect(expandScopes(['openid', 'profile'])).toEqual(['openid', 'profile']);
  });

  it('keeps full URLs as they are', () => {
    expect(expandScopes(['https://www.googleapis.com/auth/drive.file'])).toEqual(['https://www.googleapis.com/auth/drive.file']);
  });

  it('rejects an unknown short name and lists the known ones', () => {
    expect(() => expandScopes(['gmail.sned'])).toThrow(/Unknown scope "gmail.sned".*gmail\.send.*full/);
  });
});

describe('missingScopes', () => {
  it('names what was asked for but not granted', () => {
    expect(missingScopes([G + 'send', G + 'readonly'], [G + 'send'])).toEqual([G + 'readonly']);
  });

  it('treats Google long names for email and profile as the same grant', () => {
    expect(missingScopes(['email', 'openid'], ['openid', 'https://www.googleapis.com/auth/userinfo.email'])).toEqual([]);
  });
});

describe('canSend', () => {
  it('is true only for scopes the Gmail send endpoint accepts', () => {
    expect(canSend([G + 'send'])).toBe(true);
    expect(canSend(['https://mail.google.com/'])).toBe(true);
    expect(canSend([G + 'compose'])).toBe(true);
    expect(canSend([G + 'readonly', 'email'])).toBe(false);
  });
});
