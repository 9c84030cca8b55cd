/** Exit codes are part of the contract (SPEC "Conventions"). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The names of an error's classes, from its own up to GmailTokenError. Symbol.for, so the key is
 * the same in every copy of this file.
 */
const KINDS = Symbol.for('gmail-token.error-kinds');

function kindsOf(type: { name: string } | null): string[] {
  const kinds: string[] = [];
  for (let at = type; at !== null && at !== Error; at = Object.getPrototypeOf(at) as { name: string } | null) kinds.push(at.name);
  return kinds;
}

/**
 * Every failure a person should see is one of these: a message of one or two sentences that
 * already says how to fix it, and the exit code it maps to. Messages must never hold a secret.
 */
export class GmailTokenError extends Error {
  declare readonly [KINDS]: readonly string[];

  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
    // Not enumerable: a brand, not something util.inspect or a test's diff should show.
    Object.defineProperty(this, KINDS, { value: kindsOf(new.target) });
  }

  /**
   * The package ships several bundles (issue 23), each with its own copy of these classes, and an
   * error thrown in one is judged in another (a command's UsageError becomes exit 2 in the start
   * file): `instanceof` asks the error which of our classes it is, not which copy made it.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const kinds = (value as { [KINDS]?: unknown })[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.name);
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
