/**
 * The demo's five steps. Each calls the same function its real command calls (mintToken,
 * checkToken, accessTokenFor, revokeToken), only pointed at the in-process emulator, and checks
 * that what came back is what Google would have given.
 */
import { parseCredentials } from '../core/credentials.js';
import { DEMO_RECIPIENT, DEMO_SCOPES } from '../core/demo.js';
import type { GoogleEndpoints } from '../core/endpoints.js';
import { FlowError, GmailTokenError } from '../core/errors.js';
import type { MintedToken } from '../core/output.js';
import { expandScopes } from '../core/scopes.js';
import type { StoredToken } from '../core/stored-token.js';
import type { Emulator } from '../emulator/index.js';
import { checkToken } from '../oauth/check.js';
import type { ClientSecrets } from '../oauth/google.js';
import { mintToken, type MintRequest } from '../oauth/mint.js';
import { revokeToken } from '../oauth/revoke.js';
import type { WaitingAdvice } from '../oauth/waiting.js';
import { accessTokenFor } from '../oauth/token-cache.js';
import { approveConsent } from './approve.js';
import { neutralise } from '../core/terminal.js';
import { mailTarget } from '../core/mail-hosts.js';
import { NO_FULL_MAIL_SCOPE } from '../core/mail-refusal.js';
import { netConnector } from '../mail/sockets.js';

/** What a finished step did, in a few words, and any lines that show it. */
export interface StepOutcome {
  did: string;
  shown?: string[];
}

export interface DemoSession {
  emulator: Emulator;
  endpoints: GoogleEndpoints;
  /** 'self': no browser can open (or --auto-approve), so the demo approves consent itself. */
  approval: 'browser' | 'self';
  timeoutSeconds: number;
  /** Opens the consent page for the person; calls `failed` when no browser came up. */
  openBrowser(url: string, failed: () => void): Promise<void>;
  /** The mint flow's own lines for the person (the consent URL), when a person must act. */
  tell(line: string): void;
  signal: AbortSignal;
  now(): Date;
}

const CLIENT_SOURCE = "the emulator's credentials.json";

/** The emulator has no Test users and the demo no --manual: what helps here is Allow, or --auto-approve. */
const DEMO_WAITING_ADVICE: WaitingAdvice = {
  stillWaiting: "Choose Allow on the emulator's consent page in your browser, or press Ctrl-C and run `gmail-token demo --auto-approve`.",
  timedOut: 'Run the demo again with a longer --timeout, or with --auto-approve to let it give consent itself.',
};

function secretsOf(stored: StoredToken): ClientSecrets {
  return { clientId: stored.clientId ?? '', clientSecret: stored.clientSecret ?? '' };
}

/**
 * How consent is given: by the person in a browser, or by the demo itself when no browser can
 * open (or the one launched did not come up). A failed self-approval ends the wait for consent.
 */
function consentGiver(session: DemoSession): { openUrl(url: string): Promise<void>; signal: AbortSignal } {
  const failure = new AbortController();
  const approveItself = (url: string): Promise<void> => {
    session.emulator.behaviour.consent = 'approve';
    return approveConsent(url, session.signal);
  };
  const fallBack = (url: string) => () =>
    void approveItself(url).catch((error: unknown) => {
      failure.abort(error instanceof GmailTokenError ? error : new FlowError('The demo could not give consent itself.'));
    });
  return {
    openUrl: (url) => (session.approval === 'self' ? approveItself(url) : session.openBrowser(url, fallBack(url))),
    signal: AbortSignal.any([session.signal, failure.signal]),
  };
}

export async function mintStep(session: DemoSession): Promise<StepOutcome & { token: MintedToken }> {
  const client = parseCredentials(JSON.stringify(session.emulator.credentialsFile()), CLIENT_SOURCE);
  const self = session.approval === 'self';
  const consent = consentGiver(session);
  const request: MintRequest = {
    client,
    clientSource: CLIENT_SOURCE,
    scopes: expandScopes(DEMO_SCOPES),
    endpoints: session.endpoints,
    port: 0,
    timeoutSeconds: session.timeoutSeconds,
    openBrowser: true,
    manual: false,
    waitingAdvice: DEMO_WAITING_ADVICE,
  };
  const token = await mintToken(request, {
    openUrl: consent.openUrl,
    tell: (line) => (self ? undefined : session.tell(line)),
    readPasted: () => Promise.reject(new FlowError('The demo never asks for a pasted URL.')),
    signal: consent.signal,
    now: session.now,
  });
  if (token.account !== session.emulator.behaviour.account) throw new FlowError(`the token names the account "${token.account}".`);
  const who = session.emulator.behaviour.consent === 'approve' ? 'the demo' : 'you';
  return { token, did: `${who} chose Allow; refresh token for ${token.account}` };
}

/** The header lines a person recognises, with control characters neutralised before printing. */
function headersOf(message: string): string[] {
  const head = message.split(/\r?\n\r?\n/, 1)[0] ?? '';
  return head.split(/\r?\n/).filter((line) => /^(From|To|Subject):/i.test(line)).map(neutralise);
}

/**
 * `check --smtp --imap` against the emulator's own SMTP and IMAP, when the token has the scope
 * they need; otherwise one line on why it was not tried (the demo mints gmail.send).
 */
async function mailLoginLines(session: DemoSession, stored: StoredToken, fullMailScope: boolean): Promise<string[]> {
  if (!fullMailScope) return [`SMTP/IMAP login not tried: ${NO_FULL_MAIL_SCOPE}`];
  const targets = [mailTarget('smtp', session.emulator.smtpHostPort), mailTarget('imap', session.emulator.imapHostPort)];
  const report = await checkToken({ stored, secrets: secretsOf(stored), endpoints: session.endpoints, mailLogins: { targets, connector: netConnector }, now: session.now });
  const results = [report.smtp, report.imap].filter((result) => result !== null);
  const refused = results.find((result) => !result.ok);
  if (refused) throw new FlowError(refused.problem ?? 'a mail login was refused.');
  return results.map((result) => `logged in over XOAUTH2 to ${result.server} as ${result.user ?? ''} and out (check --smtp --imap)`);
}

export async function sendStep(session: DemoSession, stored: StoredToken): Promise<StepOutcome> {
  const report = await checkToken({ stored, secrets: secretsOf(stored), endpoints: session.endpoints, sendTestTo: DEMO_RECIPIENT, now: session.now });
  if (!report.ok) throw new FlowError(report.problem ?? 'the token cannot send mail.');
  const message = session.emulator.messages.find((sent) => sent.id === report.test_message_id);
  if (!message) throw new FlowError('Gmail gave a message id, but the emulator holds no such message.');
  const logins = await mailLoginLines(session, stored, report.full_mail_scope);
  return { did: `token works; test message sent to ${DEMO_RECIPIENT}`, shown: [`the emulator's Gmail received: ${headersOf(message.message).join('  ')}`, ...logins] };
}

function tokenRequests(session: DemoSession): number {
  return session.emulator.received.filter((request) => request.method === 'POST' && request.path === '/token').length;
}

/**
 * `gmail-token access-token` on the token mint just stored: its access token is still fresh, so
 * the command prints it again without asking Google, as the real one does within the hour.
 */
export async function accessTokenStep(session: DemoSession, stored: StoredToken, minted: MintedToken): Promise<StepOutcome> {
  const asked = tokenRequests(session);
  const printed = await accessTokenFor({ stored, secrets: secretsOf(stored), endpoints: session.endpoints, noCache: false, now: session.now, warn: session.tell });
  if (printed !== minted.accessToken) throw new FlowError('it asked Google for a new access token although the stored one was still fresh.');
  if (tokenRequests(session) !== asked) throw new FlowError("it sent a request to the emulator's token endpoint although the stored token was still fresh.");
  const minutes = Math.round((minted.expiry.getTime() - session.now().getTime()) / 60_000);
  return { did: `reused the fresh one mint stored: ${minutes} min left (not shown)`, shown: ['no request to the token endpoint: within the hour the stored token is printed again'] };
}

export async function revokeStep(session: DemoSession, stored: StoredToken): Promise<StepOutcome> {
  const outcome = await revokeToken(stored, session.endpoints);
  if (outcome.kind !== 'revoked' || outcome.which !== 'refresh token') throw new FlowError(`the ${outcome.which} was ${outcome.kind}, not revoked.`);
  return { did: 'refresh token revoked: the whole grant has ended' };
}

export async function revokedCheckStep(session: DemoSession, stored: StoredToken): Promise<StepOutcome> {
  const refused = await checkToken({ stored, secrets: secretsOf(stored), endpoints: session.endpoints, now: session.now }).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (refused === undefined) throw new FlowError('the revoked token still works.');
  if (!(refused instanceof FlowError) || !refused.message.includes('invalid_grant')) throw refused;
  return { did: 'refused (invalid_grant), as a revoked token should be' };
}
