import { FlowError } from '../../core/errors.js';
import { parseAddress } from '../../core/message.js';
import { MAIL_HOST_VARIABLES, mailTarget, overrideNotice, type MailProtocol } from '../../core/mail-hosts.js';
import { NO_FULL_MAIL_SCOPE } from '../../core/mail-refusal.js';
import { netConnector } from '../../mail/sockets.js';
import { checkToken, failedCheckReport, type CheckReport, type MailLogins } from '../../oauth/check.js';
import { httpPolicyFrom } from '../../oauth/google.js';
import type { MailLoginResult } from '../../oauth/mail-login.js';
import type { CliIo } from '../io.js';
import { renderFor, type Render } from '../render.js';
import { storedClient, type StoredClientCliOptions } from './stored.js';

export interface CheckCliOptions extends StoredClientCliOptions {
  json: boolean;
  sendTest?: string;
  smtp: boolean;
  imap: boolean;
}

/** The servers --smtp / --imap log in to, checked before anything is sent anywhere. */
function mailLogins(options: CheckCliOptions, env: NodeJS.ProcessEnv): MailLogins | undefined {
  const protocols = (['smtp', 'imap'] as const).filter((protocol) => options[protocol]);
  if (protocols.length === 0) return undefined;
  const targets = protocols.map((protocol: MailProtocol) => mailTarget(protocol, env[MAIL_HOST_VARIABLES[protocol]]));
  return { targets, connector: netConnector };
}

/** Each refusal says its cause here, unless it is the one the error line at the end gives. */
function describeLogin({ paint, say }: Render, name: string, result: MailLoginResult | null, mainProblem: string | null): void {
  if (!result) return;
  if (result.ok) say(`  ${name}:     `, `${paint.green('logged in')} to ${result.server} as ${result.user ?? ''}, and out`);
  else if (result.user === null) say(`  ${name}:     `, `${paint.red('not tried')} at ${result.server}`);
  else if (!result.reached) say(`  ${name}:     `, `${paint.red('not reached')} at ${result.server}`);
  else say(`  ${name}:     `, `${paint.red('refused')} at ${result.server}`);
  if (result.problem && result.problem !== mainProblem) say(`            ${result.problem}`);
}

function minutesUntil(iso: string): string {
  const minutes = Math.round((Date.parse(iso) - Date.now()) / 60_000);
  return minutes >= 0 ? `in ${minutes} min` : `${-minutes} min ago`;
}

/** What `access-token` would do next with the stored access token. */
function describeStoredAccess({ say }: Render, report: CheckReport): void {
  if (report.stored_access_token_fresh === null) return;
  const expiry = report.stored_access_token_expiry;
  if (report.stored_access_token_fresh && expiry) say(`  stored access token: fresh, expires ${expiry} (${minutesUntil(expiry)}); access-token reuses it`);
  else if (expiry) say(`  stored access token: stale, expiry ${expiry} (${minutesUntil(expiry)}); access-token will refresh it`);
  else say('  stored access token: no expiry recorded; access-token will refresh it');
}

function failedStep(report: CheckReport): string {
  const login = [report.smtp, report.imap].find((result) => result?.problem === report.problem);
  return login ? 'logging in' : 'sending the test message';
}

/** The report for people, on stderr. */
export function describeCheck(render: Render, report: CheckReport): void {
  const { paint, say, success } = render;
  if (report.ok) success(`The token from ${report.source} works and can send mail.`);
  else if (report.can_send) say(`The token from ${report.source} refreshes, but ${failedStep(report)} failed:`);
  say(`  client:   ${report.client_id}`);
  say(`  account:  ${report.account ?? 'unknown (mint with the email scope to learn it)'}`);
  say(`  scopes:   ${report.scopes.join(' ')}`);
  say('  sending:  ', report.can_send ? paint.green('granted') : paint.red('not granted'));
  if (report.access_token_expiry) say(`  access token expires ${report.access_token_expiry} (${minutesUntil(report.access_token_expiry)})`);
  describeStoredAccess(render, report);
  if (report.refresh_token_expiry) say(`  refresh token expires ${report.refresh_token_expiry}`);
  if (report.test_message_id) say(`  test message sent, Gmail id ${report.test_message_id}`);
  describeLogin(render, 'SMTP', report.smtp, report.problem);
  describeLogin(render, 'IMAP', report.imap, report.problem);
  if (!report.full_mail_scope && !report.smtp && !report.imap) say(`  ${NO_FULL_MAIL_SCOPE}`);
}

/** SPEC `check`: exit 0 only when the token refreshes and can send. */
export async function runCheck(options: CheckCliOptions, io: CliIo): Promise<void> {
  const render = renderFor(io);
  const { emit, warn } = render;
  const sendTestTo = options.sendTest === undefined ? undefined : parseAddress(options.sendTest);
  const logins = mailLogins(options, io.env);
  const http = httpPolicyFrom(io.env);
  const { stored, endpoints, secrets } = await storedClient(options, io);
  logins?.targets.forEach((target) => {
    const notice = overrideNotice(target);
    if (notice) warn(notice);
  });
  let report: CheckReport;
  try {
    report = await checkToken({ stored, secrets, endpoints, sendTestTo, mailLogins: logins, now: () => new Date(), http });
  } catch (error) {
    if (options.json && error instanceof FlowError) await emit(JSON.stringify(failedCheckReport(stored.source, error.message), null, 2) + '\n');
    throw error;
  }
  if (options.json) await emit(JSON.stringify(report, null, 2) + '\n');
  else describeCheck(render, report);
  if (report.refresh_token_expires_soon) {
    warn(`The refresh token expires at ${report.refresh_token_expiry}, within 48 hours. Mint a new one (and publish the app to stop the 7-day expiry).`);
  }
  if (!report.ok) throw new FlowError(report.problem ?? 'The token cannot send mail.');
}

