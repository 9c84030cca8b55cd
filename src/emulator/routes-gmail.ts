import { randomBytes } from 'node:crypto';
import type { Context, Handler } from './context.js';
import { ownEntry } from '../core/own-entry.js';
import { FAULT_DOMAIN, GMAIL_ERRORS, gmailErrorBody, type GmailError } from './gmail-errors.js';
import { Rejection, apiError, bearerChallenge, bearerToken, json, unauthenticated, type Reply } from './http.js';
import { TEST_ONLY_CERTIFICATE } from './mail-tls.js';
import { canSendMail } from './scopes.js';
import type { EmulatorBehaviour, SentMessage } from './types.js';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
/** An RFC 2822 header block needs a recipient before Gmail will send anything. */
const TO_HEADER = /^to:[ \t]*\S/im;

function badRaw(raw: unknown): never {
  const shown = typeof raw === 'string' ? raw.slice(0, 40) : '';
  throw new Rejection(apiError(400, `Invalid value for ByteString: ${shown}`, 'INVALID_ARGUMENT'));
}

function parsePayload(body: string): { raw: unknown; threadId: unknown } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const { raw, threadId } = parsed as Record<string, unknown>;
      return { raw, threadId };
    }
  } catch {
    // Falls through to the same answer as a non-object payload.
  }
  throw new Rejection(apiError(400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT'));
}

function gmailError(error: GmailError, headers?: Record<string, string>): Reply {
  return json(error.code, gmailErrorBody(error), headers);
}

function decodeRaw(raw: unknown): { raw: string; message: string } {
  if (typeof raw !== 'string' || !BASE64URL.test(raw)) badRaw(raw);
  const message = Buffer.from(raw, 'base64url').toString('utf8');
  const headerBlock = message.split(/\r?\n\r?\n/, 1)[0] ?? '';
  if (!TO_HEADER.test(headerBlock)) throw new Rejection(gmailError(GMAIL_ERRORS.invalidArgument));
  return { raw, message };
}

function sendFault(behaviour: EmulatorBehaviour): GmailError | undefined {
  const fault = behaviour.sendFault;
  return typeof fault === 'string' ? GMAIL_ERRORS[fault] : (fault ?? undefined);
}

/**
 * From outside the process (`gmail-token emulator`), a message to `<reason>@FAULT_DOMAIN` gets
 * that Gmail error: `.invalid` is reserved (RFC 2606), so no real address is ever caught.
 */
function recipientFault(message: string): GmailError | undefined {
  const headerBlock = message.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const to = /^to:[ \t]*(?:.*<)?([^@\s<>]+)@([^\s>,]+)/im.exec(headerBlock);
  if (to?.[2]?.toLowerCase() !== FAULT_DOMAIN) return undefined;
  const name = to[1] as string;
  return ownEntry(GMAIL_ERRORS, name);
}

export const sendPost: Handler = (ctx, call) => {
  const access = ctx.store.liveAccess(bearerToken(call.headers));
  if (!access) return unauthenticated();
  if (!canSendMail(access.grant.scopes)) {
    return gmailError(GMAIL_ERRORS.insufficientPermissions, bearerChallenge('insufficient_scope'));
  }
  const fault = sendFault(ctx.behaviour());
  if (fault) return gmailError(fault);
  const payload = parsePayload(call.body);
  const { raw, message } = decodeRaw(payload.raw);
  const asked = recipientFault(message);
  if (asked) return gmailError(asked);
  // Replying into a known thread keeps it; anything else starts a new one, like a fresh send.
  const known = ctx.messages.some((m) => m.threadId === payload.threadId);
  const threadId = known && typeof payload.threadId === 'string' ? payload.threadId : undefined;
  const sent = mailMessage(ctx, access.grant.account, message, { raw, threadId });
  return json(200, { id: sent.id, threadId: sent.threadId, labelIds: ['SENT'] });
};

/** Keeps a sent message, whichever way it came (the API's send, or the emulator's SMTP). */
export function mailMessage(ctx: Context, account: string, message: string, given: { raw?: string; threadId?: string } = {}): SentMessage {
  const id = randomBytes(8).toString('hex');
  const raw = given.raw ?? Buffer.from(message, 'utf8').toString('base64url');
  const sent: SentMessage = { id, threadId: given.threadId ?? id, account, raw, message, receivedAt: new Date().toISOString() };
  ctx.keepMessage(sent);
  return sent;
}

export const messagesGet: Handler = (ctx) => json(200, ctx.messages);

export const credentialsGet: Handler = (ctx) => json(200, ctx.credentialsFile());

/** The test-only certificate of the emulator's STARTTLS (mail-tls.ts), for mail programs to trust. */
export const certificateGet: Handler = () => ({ kind: 'text', status: 200, text: TEST_ONLY_CERTIFICATE, type: 'application/x-pem-file' });
