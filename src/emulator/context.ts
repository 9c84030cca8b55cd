import type { GrantStore } from './grants.js';
import type { Reply } from './http.js';
import type { EmulatorBehaviour, EmulatorClient, RecordedRequest, SentMessage } from './types.js';

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
  credentialsFile(client?: EmulatorClient): object;
}

export type Handler = (ctx: Context, call: Call) => Reply;
