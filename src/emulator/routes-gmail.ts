import { randomBytes } from 'node:crypto';
import type { Handler } from './context.js';
import { Rejection, apiError, bearerToken, insufficientScopes, json, unauthenticated } from './http.js';
import { canSendMail } from './scopes.js';

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

function decodeRaw(raw: unknown): { raw: string; message: string } {
  if (typeof raw !== 'string' || !BASE64URL.test(raw)) badRaw(raw);
  const message = Buffer.from(raw, 'base64url').toString('utf8');
  const headerBlock = message.split(/\r?\n\r?\n/, 1)[0] ?? '';
  if (!TO_HEADER.test(headerBlock)) badRaw(raw);
  return { raw, message };
}

export const sendPost: Handler = (ctx, call) => {
  const access = ctx.store.liveAccess(bearerToken(call.headers));
  if (!access) return unauthenticated();
  if (!canSendMail(access.grant.scopes)) return insufficientScopes();
  const fault = ctx.behaviour().sendFault;
  if (fault) return apiError(fault.code, fault.message, fault.status);
  const payload = parsePayload(call.body);
  const { raw, message } = decodeRaw(payload.raw);
  const id = randomBytes(8).toString('hex');
  // Replying into a known thread keeps it; anything else starts a new one, like a fresh send.
  const known = ctx.messages.some((m) => m.threadId === payload.threadId);
  const threadId = known && typeof payload.threadId === 'string' ? payload.threadId : id;
  const receivedAt = new Date().toISOString();
  ctx.messages.push({ id, threadId, account: access.grant.account, raw, message, receivedAt });
  return json(200, { id, threadId, labelIds: ['SENT'] });
};

export const messagesGet: Handler = (ctx) => json(200, ctx.messages);

export const credentialsGet: Handler = (ctx) => json(200, ctx.credentialsFile());
