/** The public shapes of the emulator; index.ts re-exports every name here. */
import type { GmailError, GmailErrorName } from './gmail-errors.js';

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  type: 'installed' | 'web';
  redirectUris: string[];
}

export type TokenFault =
  | { kind: 'status'; status: number; times?: number }
  | { kind: 'non-json' }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'oauth-error'; error: string; description?: string; status?: number; subtype?: string };

export interface EmulatorBehaviour {
  consent: 'approve' | 'deny' | 'page';
  grantScopes?: (requested: string[]) => string[];
  refreshTokenExpiresIn?: number;
  account: string;
  tokenFault: TokenFault | null;
  /** Answer the Gmail send endpoint with this Google API error (or a named real one) instead of sending. */
  sendFault?: GmailError | GmailErrorName | null;
  /**
   * What the consent redirect names as `iss` (RFC 9207): Google's issuer unless set, so tests can
   * play the emulator's own issuer or a stranger's.
   */
  issuer?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  form: Record<string, string>;
}

export interface SentMessage {
  id: string;
  threadId: string;
  account: string;
  raw: string;
  message: string;
  receivedAt: string;
}

/** An XOAUTH2 login at the emulator's SMTP or IMAP, for tests to check (its tokens are the emulator's own). */
export interface MailLogin {
  protocol: 'smtp' | 'imap';
  user: string;
  token: string;
  accepted: boolean;
}

export interface Emulator {
  readonly host: string;
  readonly port: number;
  readonly hostPort: string;
  readonly origin: string;
  readonly defaultClient: EmulatorClient;
  behaviour: EmulatorBehaviour;
  readonly received: RecordedRequest[];
  readonly messages: SentMessage[];
  readonly mailLogins: MailLogin[];
  /** `127.0.0.1:<port>` of its SMTP and IMAP (plain TCP with STARTTLS), for GMAIL_TOKEN_SMTP_HOST / GMAIL_TOKEN_IMAP_HOST. */
  readonly smtpHostPort: string;
  readonly imapHostPort: string;
  addClient(client: EmulatorClient): void;
  credentialsFile(client?: EmulatorClient): object;
  revokeAll(): void;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  host?: string;
  port?: number;
  smtpPort?: number;
  imapPort?: number;
  clients?: EmulatorClient[];
  behaviour?: Partial<EmulatorBehaviour>;
  log?: (line: string) => void;
}
