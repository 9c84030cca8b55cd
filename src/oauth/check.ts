import type { OAuth2Client } from 'google-auth-library';
import type { GoogleEndpoints } from '../core/endpoints.js';
import { FlowError } from '../core/errors.js';
import { canSend, grantsEmail, parseScopeString } from '../core/scopes.js';
import type { StoredToken } from '../core/stored-token.js';
import { storedAccessFresh } from '../core/token-cache.js';
import { sendTestMessage } from './gmail.js';
import { describeFailure, googleFailure, type ClientSecrets, type HttpPolicy } from './google.js';
import { refreshAccess } from './refresh.js';
import type { MailTarget } from '../core/mail-hosts.js';
import { hasFullMailScope } from '../core/xoauth2.js';
import type { MailConnector } from '../mail/conversation.js';
import { tryMailLogin, type MailLoginResult } from './mail-login.js';

/** What `check` found; `--json` prints exactly these fields (documented in docs/reference.md, "check --json fields"). */
export interface CheckReport {
  ok: boolean;
  source: string;
  client_id: string | null;
  account: string | null;
  scopes: string[];
  can_send: boolean;
  access_token_expiry: string | null;
  /** Whether `access-token` would reuse the access token stored with the token; null when none is stored. */
  stored_access_token_fresh: boolean | null;
  stored_access_token_expiry: string | null;
  refresh_token_expiry: string | null;
  refresh_token_expires_soon: boolean;
  test_message_id: string | null;
  /** Whether Gmail's SMTP, IMAP and POP would take the token (https://mail.google.com/). */
  full_mail_scope: boolean;
  /** `--smtp` / `--imap` results; null when not asked for. */
  smtp: MailLoginResult | null;
  imap: MailLoginResult | null;
  problem: string | null;
}

/** The report when the check could not finish: the same fields, unknowns null. */
export function failedCheckReport(source: string, problem: string): CheckReport {
  return {
    ok: false,
    source,
    client_id: null,
    account: null,
    scopes: [],
    can_send: false,
    access_token_expiry: null,
    stored_access_token_fresh: null,
    stored_access_token_expiry: null,
    refresh_token_expiry: null,
    refresh_token_expires_soon: false,
    test_message_id: null,
    full_mail_scope: false,
    smtp: null,
    imap: null,
    problem,
  };
}

const SOON_MS = 48 * 3600 * 1000;

interface TokenInfo {
  aud?: string;
  scope?: string;
  email?: string;
}

async function tokenInfo(client: OAuth2Client, tokeninfoUrl: string, accessToken: string): Promise<TokenInfo> {
  try {
    const { data } = await client.transporter.request<TokenInfo>({ url: tokeninfoUrl, method: 'GET', params: { access_token: accessToken } });
    return data;
  } catch (error) {
    throw describeFailure(googleFailure(error), 'Asking Google what the token grants');
  }
}

/** userinfo knows the address when `email` was granted; an unknown address is not a failure. */
async function userinfoEmail(client: OAuth2Client, userinfoUrl: string): Promise<string | undefined> {
  try {
    const { data } = await client.request<{ email?: unknown }>({ url: userinfoUrl });
    return typeof data.email === 'string' ? data.email : undefined;
  } catch {
    return undefined;
  }
}

/** A failed test send fails the check, but the report keeps all that was learnt before it. */
async function sendTest(report: CheckReport, client: OAuth2Client, sendUrl: string, request: CheckRequest): Promise<void> {
  try {
    const message = { to: request.sendTestTo ?? '', from: report.account ?? undefined, now: request.now() };
    report.test_message_id = await sendTestMessage(client, sendUrl, message);
  } catch (error) {
    if (!(error instanceof FlowError)) throw error;
    report.ok = false;
    report.problem = error.message;
  }
}

/** `--smtp` / `--imap`: where each login goes, and the sockets to get there. */
export interface MailLogins {
  targets: MailTarget[];
  connector: MailConnector;
}

/** Each requested login in turn; the first refusal becomes the report's problem unless one is there. */
async function logIn(report: CheckReport, logins: MailLogins, token: { accessToken: string; accountConfirmed: boolean }): Promise<void> {
  for (const target of logins.targets) {
    const result = await tryMailLogin({ ...token, target, account: report.account, scopes: report.scopes, connector: logins.connector });
    report[target.protocol] = result;
    if (!result.ok) {
      report.ok = false;
      report.problem ??= result.problem;
    }
  }
}

export interface CheckRequest {
  mailLogins?: MailLogins;
  stored: StoredToken;
  secrets: ClientSecrets;
  endpoints: GoogleEndpoints;
  sendTestTo?: string;
  now: () => Date;
  http?: HttpPolicy;
}

/**
 * SPEC `check`: refresh, ask tokeninfo, report; optionally send a test message. The token it gets
 * is not written back: check only reports, so it never changes a file.
 */
export async function checkToken(request: CheckRequest): Promise<CheckReport> {
  const { stored, secrets, endpoints } = request;
  const fresh = await refreshAccess(stored, secrets, endpoints, request.http);
  const info = await tokenInfo(fresh.client, endpoints.tokeninfo, fresh.accessToken);
  const scopes = parseScopeString(info.scope);
  const email = info.email ?? (grantsEmail(scopes) ? await userinfoEmail(fresh.client, endpoints.userinfo) : undefined);
  const sending = canSend(scopes);
  const expiry = stored.refreshTokenExpiry;
  const report: CheckReport = {
    ok: sending,
    source: stored.source,
    client_id: info.aud ?? secrets.clientId,
    account: email ?? stored.account ?? null,
    scopes,
    can_send: sending,
    access_token_expiry: fresh.expiresAt.toISOString(),
    stored_access_token_fresh: storedAccessFresh(stored, request.now()) ?? null,
    stored_access_token_expiry: stored.accessToken && stored.accessTokenExpiry ? stored.accessTokenExpiry.toISOString() : null,
    refresh_token_expiry: expiry ? expiry.toISOString() : null,
    refresh_token_expires_soon: expiry !== undefined && expiry.getTime() - request.now().getTime() < SOON_MS,
    test_message_id: null,
    full_mail_scope: hasFullMailScope(scopes),
    smtp: null,
    imap: null,
    problem: sending ? null : 'The token works but cannot send mail: mint again with --scope gmail.send.',
  };
  if (sending && request.sendTestTo) await sendTest(report, fresh.client, endpoints.send, request);
  if (request.mailLogins) await logIn(report, request.mailLogins, { accessToken: fresh.accessToken, accountConfirmed: email !== undefined });
  return report;
}

