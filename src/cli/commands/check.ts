import { FlowError } from '../../core/errors.js';
import { parseAddress } from '../../core/message.js';
import { checkToken, failedCheckReport, type CheckReport } from '../../oauth/check.js';
import { httpPolicyFrom } from '../../oauth/google.js';
import type { CliIo } from '../io.js';
import { renderFor, type Render } from '../render.js';
import { storedClient, type StoredClientCliOptions } from './stored.js';

export interface CheckCliOptions extends StoredClientCliOptions {
  json: boolean;
  sendTest?: string;
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

function describe(render: Render, report: CheckReport): void {
  const { paint, say, success } = render;
  if (report.ok) success(`The token from ${report.source} works and can send mail.`);
  else if (report.can_send) say(`The token from ${report.source} refreshes, but sending the test message failed:`);
  say(`  client:   ${report.client_id}`);
  say(`  account:  ${report.account ?? 'unknown (mint with the email scope to learn it)'}`);
  say(`  scopes:   ${report.scopes.join(' ')}`);
  say('  sending:  ', report.can_send ? paint.green('granted') : paint.red('not granted'));
  if (report.access_token_expiry) say(`  access token expires ${report.access_token_expiry} (${minutesUntil(report.access_token_expiry)})`);
  describeStoredAccess(render, report);
  if (report.refresh_token_expiry) say(`  refresh token expires ${report.refresh_token_expiry}`);
  if (report.test_message_id) say(`  test message sent, Gmail id ${report.test_message_id}`);
}

/** SPEC `check`: exit 0 only when the token refreshes and can send. */
export async function runCheck(options: CheckCliOptions, io: CliIo): Promise<void> {
  const render = renderFor(io);
  const { emit, warn } = render;
  const sendTestTo = options.sendTest === undefined ? undefined : parseAddress(options.sendTest);
  const { stored, endpoints, secrets } = await storedClient(options, io);
  let report: CheckReport;
  try {
    report = await checkToken({ stored, secrets, endpoints, sendTestTo, now: () => new Date(), http: httpPolicyFrom(io.env) });
  } catch (error) {
    if (options.json && error instanceof FlowError) await emit(JSON.stringify(failedCheckReport(stored.source, error.message), null, 2) + '\n');
    throw error;
  }
  if (options.json) await emit(JSON.stringify(report, null, 2) + '\n');
  else describe(render, report);
  if (report.refresh_token_expires_soon) {
    warn(`The refresh token expires at ${report.refresh_token_expiry}, within 48 hours. Mint a new one (and publish the app to stop the 7-day expiry).`);
  }
  if (!report.ok) throw new FlowError(report.problem ?? 'The token cannot send mail.');
}

