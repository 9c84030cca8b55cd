import { FULL_MAIL_SCOPE, hasFullMailScope, type Challenge } from './xoauth2.js';
import type { MailProtocol } from './mail-hosts.js';

const NAMES: Record<MailProtocol, string> = { smtp: "Gmail's SMTP", imap: "Gmail's IMAP" };

/** The one line `check` prints without --smtp/--imap when the token could not log in there. */
export const NO_FULL_MAIL_SCOPE =
  `SMTP, IMAP and POP will refuse this token: they accept only ${FULL_MAIL_SCOPE} (mint with -s full for mail programs).`;

export interface Refusal {
  protocol: MailProtocol;
  user: string;
  /** Whether Google named `user` as the token's account, rather than the stored file. */
  accountConfirmed: boolean;
  scopes: readonly string[];
  /** The server's final answer, e.g. `535 5.7.8 Username and Password not accepted. …` */
  reply: string;
  challenge: Challenge | null;
}

/**
 * Gmail's text when IMAP is off ("Your account is not enabled for IMAP use", "IMAP access is
 * disabled for your domain") is known only from user reports, so this matches it loosely: a guess.
 */
const IMAP_OFF = /IMAP[^.]*\b(disabled|not enabled)\b|not enabled for IMAP/i;

/**
 * A server's words as they may be shown: a server that echoes a command back would otherwise put
 * the XOAUTH2 string (or a token) on screen, so long runs with digits and capitals, as tokens and
 * base64 have, are cut out, and so is the exact token; the rest is kept to 160 characters.
 */
export function quoteServer(text: string, secrets: readonly string[] = []): string {
  let quoted = secrets.filter(Boolean).reduce((sofar, secret) => sofar.split(secret).join('[…]'), text);
  quoted = quoted.replace(/[A-Za-z0-9+/=._-]{24,}/g, (run) => (/\d/.test(run) && /[A-Z]/.test(run) ? '[…]' : run));
  return quoted.length > 160 ? `${quoted.slice(0, 160)}…` : quoted;
}

/** Why the server said no, in one or two sentences with the fix; never the challenge itself. */
export function explainRefusal(refusal: Refusal): string {
  const name = NAMES[refusal.protocol];
  if (!hasFullMailScope(refusal.scopes)) {
    return `${name} refused the token: it lacks ${FULL_MAIL_SCOPE}, the only scope Gmail's SMTP, IMAP and POP accept. Mint again with \`gmail-token mint -s full,email\`.`;
  }
  if (refusal.protocol === 'imap' && IMAP_OFF.test(refusal.reply)) {
    return `${name} refused ${refusal.user}: IMAP is turned off for the account. Turn it on in Gmail's settings (Forwarding and POP/IMAP), or ask the Workspace admin to allow IMAP.`;
  }
  if (!refusal.accountConfirmed) {
    return `${name} refused the login as ${refusal.user}, which may not be the token's account. Mint with the email scope (\`-s full,email\`) so check logs in as the account Google names.`;
  }
  const reply = quoteServer(refusal.reply);
  const status = refusal.challenge?.status ? `, status ${refusal.challenge.status}` : '';
  return `${name} refused the token for ${refusal.user} (${reply}${status}). Check the token with \`gmail-token check\` and mint a new one if it was revoked.`;
}
