/**
 * Scope rules as Google applies them: the OpenID short names `email` and `profile` come back as
 * their userinfo URLs in every granted-scope list, and anything that is not a Google scope is
 * rejected on the consent screen (so a tool that forgets to expand `gmail.send` fails here too).
 */
export const EMAIL_SCOPE = 'https://www.googleapis.com/auth/userinfo.email';
export const PROFILE_SCOPE = 'https://www.googleapis.com/auth/userinfo.profile';

const ALIASES = new Map([
  ['email', EMAIL_SCOPE],
  ['profile', PROFILE_SCOPE],
]);

const SEND_SCOPES = new Set([
  'https://www.googleapis.com/auth/gmail.send',
  'https://www.googleapis.com/auth/gmail.compose',
  'https://www.googleapis.com/auth/gmail.modify',
  'https://mail.google.com/',
]);

function isGoogleScope(scope: string): boolean {
  return (
    scope === 'openid' ||
    scope === 'https://mail.google.com/' ||
    /^https:\/\/www\.googleapis\.com\/auth\/[A-Za-z0-9._-]+$/.test(scope)
  );
}

/** Splits a `scope` parameter; duplicates collapse, order is kept. */
export function parseScopes(raw: string): { scopes: string[]; invalid: string[] } {
  const scopes: string[] = [];
  const invalid: string[] = [];
  for (const word of raw.split(/\s+/).filter(Boolean)) {
    const scope = ALIASES.get(word) ?? word;
    if (!isGoogleScope(scope)) invalid.push(word);
    else if (!scopes.includes(scope)) scopes.push(scope);
  }
  return { scopes, invalid };
}

export function hasEmailScope(scopes: readonly string[]): boolean {
  return scopes.includes(EMAIL_SCOPE);
}

export function canSendMail(scopes: readonly string[]): boolean {
  return scopes.some((scope) => SEND_SCOPES.has(scope));
}

export function canReadUserinfo(scopes: readonly string[]): boolean {
  return scopes.includes('openid') || hasEmailScope(scopes);
}
