import type { GrantStore } from './grants.js';
import type { Reply } from './http.js';
import type { EmulatorBehaviour, EmulatorClient, MailLogin, RecordedRequest, SentMessage } from './types.js';

/** A request as handlers see it: already read, bounded and parsed. */
export interface Call extends RecordedRequest {
  /** Repeated keys survive here (the consent form sends one `scope` per ticked box). */
  formParams: URLSearchParams;
}

/** What handlers may touch; behaviour is read per request because tests swap it between calls. */
export interface Context {
  store: GrantStore;
  behaviour(): EmulatorBehaviour;
  messages: SentMessage[];
  /** Adds a message within the bounds (bounds.ts), numbering it for IMAP's UIDs. */
  keepMessage(message: SentMessage): void;
  /** The message's IMAP UID: its number in the order messages arrived, never reused. */
  uidOf(message: SentMessage): number;
  keepMailLogin(login: MailLogin): void;
  credentialsFile(client?: EmulatorClient): object;
}

export type Handler = (ctx: Context, call: Call) => Reply;
