import { printable } from './printable.js';

/**
 * What a Gmail API error says, read from Google's body
 * `{"error":{"code","message","errors":[{"message","domain","reason"}],"status","details":[…]}}`
 * (the Gmail API guide "Resolve errors"). Every text field is already safe to print.
 */
export interface GmailFailure {
  code?: number;
  /** errors[0].reason, or the ErrorInfo reason when errors[] is absent. */
  reason?: string;
  message?: string;
  /** The Cloud project number an ErrorInfo names (`consumer: "projects/NNN"`). */
  project?: string;
  /** Where Google says the Gmail API can be enabled. */
  activationUrl?: string;
}

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(object) : [];
}

/** Only a link to Google's own console is worth offering. */
function consoleUrl(value: unknown): string | undefined {
  const text = printable(value, 300);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && /(^|\.)console\.(cloud|developers)\.google\.com$/.test(url.hostname) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function readGmailError(httpStatus: number | undefined, data: unknown): GmailFailure {
  const error = object(object(data).error);
  const details = list(error.details);
  const info = details.find((detail) => detail['@type'] === 'type.googleapis.com/google.rpc.ErrorInfo');
  const metadata = object(info?.metadata);
  const help = list(details.find((detail) => detail['@type'] === 'type.googleapis.com/google.rpc.Help')?.links)[0];
  const consumer = printable(metadata.consumer, 100);
  return {
    code: typeof error.code === 'number' ? error.code : httpStatus,
    reason: printable(list(error.errors)[0]?.reason, 60) ?? printable(info?.reason, 60),
    message: printable(error.message, 400),
    project: consumer?.startsWith('projects/') ? consumer.slice('projects/'.length) : printable(metadata.containerInfo, 60),
    activationUrl: consoleUrl(metadata.activationUrl) ?? consoleUrl(help?.url),
  };
}

const SCOPE_REASONS = new Set(['insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT']);
const DISABLED_REASONS = new Set(['accessNotConfigured', 'SERVICE_DISABLED']);
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED']);

/** The cause, told apart by reason first and status second; the fix follows Google's own words. */
function advice(failure: GmailFailure, said: string): string {
  const { code, reason = '' } = failure;
  if (code === 401) return `Gmail refused the access token ${said}. Run \`gmail-token check\` again; if it persists, mint a new token.`;
  if (SCOPE_REASONS.has(reason) || (code === 403 && !reason && /scope/i.test(failure.message ?? ''))) {
    return `Gmail says the token may not send mail ${said}. Mint again with --scope gmail.send.`;
  }
  if (DISABLED_REASONS.has(reason)) {
    const project = failure.project ? ` (project ${failure.project})` : '';
    const where = failure.activationUrl ?? 'Cloud Console, APIs & Services, Library, Gmail API';
    return `Gmail refused to send because the Gmail API is not enabled in the OAuth client's Cloud project${project} ${said}. Enable it at ${where}, wait a few minutes, then run again.`;
  }
  if (reason === 'dailyLimitExceeded') {
    return `Gmail's daily limit for this project is used up ${said}. It is a usage limit, not a setup problem: try again after it resets (midnight Pacific Time).`;
  }
  if (RATE_REASONS.has(reason) || code === 429) {
    return `Gmail is limiting how fast this account or project may send ${said}. It is a usage limit, not a setup problem: wait a minute, then run again.`;
  }
  if (reason === 'failedPrecondition') {
    return `Gmail cannot send from this account ${said}: it has no Gmail mailbox, or Gmail is turned off for it. Mint with an account that has Gmail.`;
  }
  if (reason === 'invalidArgument' || code === 400) return `Gmail rejected the test message ${said}. Check the address given to --send-test.`;
  if (code === 403) return `Gmail refused to send ${said}. Check that the Gmail API is enabled for the client's Cloud project.`;
  return `Sending the test message failed ${said}.`;
}

/** One message per cause, always with Google's own status, reason and message in brackets. */
export function explainSendFailure(failure: GmailFailure): string {
  const head = [failure.code === undefined ? 'HTTP ?' : String(failure.code), failure.reason].filter(Boolean).join(' ');
  return advice(failure, `(${head}${failure.message ? `: ${failure.message}` : ''})`);
}
