/**
 * The Gmail API's error bodies, in the shape Google sends them:
 * `{"error":{"code","message","errors":[{"message","domain","reason"}],"status","details":[…]}}`
 * (the Gmail API guide "Resolve errors", developers.google.com/workspace/gmail/api/guides/handle-errors).
 * Each case below quotes a real response; tests and people pick one by name as the send fault.
 */

export interface GmailError {
  code: number;
  message: string;
  status: string;
  reason?: string;
  domain?: string;
  /** errors[0].message, where Google words it differently from the top-level message. */
  itemMessage?: string;
  details?: object[];
}

/** Mail to `<name>@` this domain is answered with the Gmail error of that name. */
export const FAULT_DOMAIN = 'gmail-errors.invalid';

/** The emulator's stand-in for a Cloud project number, as Google prints it in these errors. */
export const EMULATOR_PROJECT_NUMBER = '123456789012';

const ACTIVATION_URL = `https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=${EMULATOR_PROJECT_NUMBER}`;
const DISABLED_MESSAGE = `Gmail API has not been used in project ${EMULATOR_PROJECT_NUMBER} before or it is disabled. Enable it by visiting ${ACTIVATION_URL} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;

export const GMAIL_ERRORS = {
  /**
   * A token without a sending scope. errors[] as in googleworkspace/apps-script-oauth2#177 and
   * GAM-team/got-your-back#275; the ErrorInfo detail as Google's newer APIs add it (AIP-193).
   */
  insufficientPermissions: {
    code: 403,
    message: 'Request had insufficient authentication scopes.',
    status: 'PERMISSION_DENIED',
    reason: 'insufficientPermissions',
    domain: 'global',
    itemMessage: 'Insufficient Permission',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
        domain: 'googleapis.com',
        metadata: { service: 'gmail.googleapis.com', method: 'caribou.api.proto.MailboxService.SendMessage' },
      },
    ],
  },
  /**
   * The Gmail API not enabled in the client's project: message and errors[] as quoted in
   * DSchau/gatsby-mail#35; the SERVICE_DISABLED ErrorInfo with consumer and activationUrl, and the
   * Help link, as Google adds them since 2024 (taylorwilsdon/google_workspace_mcp#126).
   */
  accessNotConfigured: {
    code: 403,
    message: DISABLED_MESSAGE,
    status: 'PERMISSION_DENIED',
    reason: 'accessNotConfigured',
    domain: 'usageLimits',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'SERVICE_DISABLED',
        domain: 'googleapis.com',
        metadata: {
          service: 'gmail.googleapis.com',
          consumer: `projects/${EMULATOR_PROJECT_NUMBER}`,
          activationUrl: ACTIVATION_URL,
          serviceTitle: 'Gmail API',
          containerInfo: EMULATOR_PROJECT_NUMBER,
        },
      },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: DISABLED_MESSAGE },
      { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Google developers console API activation', url: ACTIVATION_URL }] },
    ],
  },
  /** 429 with RESOURCE_EXHAUSTED, as quoted in elie222/inbox-zero#379. */
  rateLimitExceeded: {
    code: 429,
    message: 'Resource has been exhausted (e.g. check quota).',
    status: 'RESOURCE_EXHAUSTED',
    reason: 'rateLimitExceeded',
    domain: 'global',
  },
  /** The per-user limit, 403 as in the "Resolve errors" guide and levz0r/gmail-tester#23. */
  userRateLimitExceeded: {
    code: 403,
    message: 'User-rate limit exceeded.  Retry after 2026-11-28T12:00:00.000Z',
    status: 'PERMISSION_DENIED',
    reason: 'userRateLimitExceeded',
    domain: 'usageLimits',
  },
  /** The daily quota, 403 with domain usageLimits, as in the "Resolve errors" guide and murer/dsopz#6. */
  dailyLimitExceeded: {
    code: 403,
    message: 'Daily Limit Exceeded',
    status: 'PERMISSION_DENIED',
    reason: 'dailyLimitExceeded',
    domain: 'usageLimits',
  },
  /** An account without a Gmail mailbox, verbatim from WPManageNinja/fluent-smtp#152. */
  failedPrecondition: {
    code: 400,
    message: 'Mail service not enabled',
    status: 'FAILED_PRECONDITION',
    reason: 'failedPrecondition',
    domain: 'global',
  },
  /** A message without a recipient, verbatim from Byron/google-apis-rs#351. */
  invalidArgument: {
    code: 400,
    message: 'Recipient address required',
    status: 'INVALID_ARGUMENT',
    reason: 'invalidArgument',
    domain: 'global',
  },
} satisfies Record<string, GmailError>;

export type GmailErrorName = keyof typeof GMAIL_ERRORS;

/** The body Google sends; errors[] carries the reason, and details[] where Google adds them. */
export function gmailErrorBody(error: GmailError): object {
  const { code, message, status, reason, domain, details } = error;
  return {
    error: {
      code,
      message,
      ...(reason ? { errors: [{ message: error.itemMessage ?? message, domain: domain ?? 'global', reason }] } : {}),
      status,
      ...(details ? { details } : {}),
    },
  };
}
