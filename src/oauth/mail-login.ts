import { targetName, type MailTarget } from '../core/mail-hosts.js';
import { explainRefusal, quoteServer } from '../core/mail-refusal.js';
import { xoauth2Response } from '../core/xoauth2.js';
import { MailUnreachableError, MailWireError, type MailConnector } from '../mail/conversation.js';
import { imapLogin } from '../mail/imap.js';
import { smtpLogin } from '../mail/smtp.js';

/** One `check --smtp` / `--imap` result, as `--json` prints it. */
export interface MailLoginResult {
  ok: boolean;
  server: string;
  user: string | null;
  /** Whether a connection was made: without one no login happened, and nothing was refused. */
  reached: boolean;
  problem: string | null;
}

export interface MailLoginRequest {
  target: MailTarget;
  /** The login name: the account Google named, else the one stored with the token. */
  account: string | null;
  accountConfirmed: boolean;
  scopes: readonly string[];
  accessToken: string;
  connector: MailConnector;
}

const LOGINS = { smtp: smtpLogin, imap: imapLogin };

/** Whatever a server echoed into its answer, neither the token nor the XOAUTH2 string reaches the screen. */
function withoutSecrets(text: string, accessToken: string, account: string): string {
  const secrets = [accessToken, xoauth2Response(account, accessToken)];
  return secrets.some((secret) => text.includes(secret)) ? quoteServer(text, secrets) : text;
}

/** Logs in and out with XOAUTH2; a refusal or an unreachable server is a result, not a throw. */
export async function tryMailLogin(request: MailLoginRequest): Promise<MailLoginResult> {
  const { target, account } = request;
  const server = targetName(target);
  if (!account) {
    const problem = `The ${target.protocol.toUpperCase()} login needs the account's address, and neither Google nor the stored token names it. Mint with \`-s full,email\`.`;
    return { ok: false, server, user: null, reached: false, problem };
  }
  try {
    const outcome = await LOGINS[target.protocol](target, account, request.accessToken, request.connector);
    if (outcome.accepted) return { ok: true, server, user: account, reached: true, problem: null };
    const problem = explainRefusal({ ...request, protocol: target.protocol, user: account, reply: outcome.reply, challenge: outcome.challenge });
    return { ok: false, server, user: account, reached: true, problem: withoutSecrets(problem, request.accessToken, account) };
  } catch (error) {
    if (!(error instanceof MailWireError)) throw error;
    const reached = !(error instanceof MailUnreachableError);
    return { ok: false, server, user: account, reached, problem: withoutSecrets(error.message, request.accessToken, account) };
  }
}
