import { FULL_MAIL_SCOPE, parseXoauth2 } from '../core/xoauth2.js';
import type { Context } from './context.js';
import type { MailLogin } from './types.js';

/**
 * Gmail takes an XOAUTH2 login only for a live access token with https://mail.google.com/ ("The
 * scope for IMAP, POP, and SMTP access", Google's OAuth 2.0 Mechanism page), for the account that
 * granted it; a gmail.modify-only token is refused (google/gmail-oauth2-tools#78). Null: not
 * XOAUTH2's shape at all.
 */
export function xoauth2Login(ctx: Context, protocol: MailLogin['protocol'], initialResponse: string): MailLogin | null {
  const parsed = parseXoauth2(initialResponse.trim());
  if (!parsed) return null;
  const access = ctx.store.liveAccess(parsed.token);
  const accepted =
    access !== undefined &&
    access.grant.account.toLowerCase() === parsed.user.toLowerCase() &&
    access.grant.scopes.includes(FULL_MAIL_SCOPE);
  const login: MailLogin = { protocol, user: parsed.user, token: parsed.token, accepted };
  ctx.keepMailLogin(login);
  return login;
}
