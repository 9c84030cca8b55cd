/** Exit codes are part of the contract (SPEC "Conventions"). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Every failure a person should see is one of these: a message of one or two sentences that
 * already says how to fix it, and the exit code it maps to. Messages must never hold a secret.
 */
export class GmailTokenError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, files or other input: exit 2, raised before any side effect. */
export class UsageError extends GmailTokenError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** The flow or a request failed: denied, timed out, rejected by Google, network. Exit 1. */
export class FlowError extends GmailTokenError {
  constructor(message: string) {
    super(message, ExitCode.failed);
  }
}

/** Ctrl-C: exit 130 with nothing written. */
export class InterruptedError extends GmailTokenError {
  constructor(message = 'Interrupted; nothing was written.') {
    super(message, ExitCode.interrupted);
  }
}
