/**
 * SASL XOAUTH2 as Google's "OAuth 2.0 Mechanism" page for Gmail IMAP/POP/SMTP defines it
 * (developers.google.com/gmail/imap/xoauth2-protocol): the initial response is
 * base64("user=" user "^Aauth=Bearer " token "^A^A"), and a refusal is a challenge carrying
 * base64 of a JSON object with `status`, `schemes` and `scope`.
 */

/** The one scope Gmail's IMAP, POP and SMTP accept (the same page: "The scope for IMAP, POP, and SMTP access"). */
export const FULL_MAIL_SCOPE = 'https://mail.google.com/';

/** What Gmail sends when it refuses a token (google-oauth-facts §13: nodemailer/nodemailer#114, google/gmail-oauth2-tools#78). */
export const REFUSAL_CHALLENGE = { status: '400', schemes: 'Bearer', scope: FULL_MAIL_SCOPE } as const;

export function xoauth2Response(user: string, accessToken: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8').toString('base64');
}

/** The server's side: null for anything that is not a well-formed XOAUTH2 initial response. */
export function parseXoauth2(base64: string): { user: string; token: string } | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  const fields = Buffer.from(base64, 'base64').toString('utf8').split('\x01');
  const [userField = '', authField = '', ...rest] = fields;
  const user = /^user=(.+)$/.exec(userField)?.[1];
  const token = /^auth=Bearer (\S+)$/.exec(authField)?.[1];
  return user && token && rest.length === 2 && rest.every((field) => field === '') ? { user, token } : null;
}

export function encodeChallenge(challenge: object): string {
  return Buffer.from(JSON.stringify(challenge), 'utf8').toString('base64');
}

export interface Challenge {
  status?: string;
  scope?: string;
}

/** The parts of a refusal challenge that explain it; never shown as is, since it is a blob from the network. */
export function decodeChallenge(base64: string): Challenge | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(base64.trim(), 'base64').toString('utf8'));
    if (parsed === null || typeof parsed !== 'object') return null;
    const { status, scope } = parsed as Record<string, unknown>;
    return { ...(typeof status === 'string' ? { status } : {}), ...(typeof scope === 'string' ? { scope } : {}) };
  } catch {
    return null;
  }
}

export function hasFullMailScope(scopes: readonly string[]): boolean {
  return scopes.includes(FULL_MAIL_SCOPE);
}
