import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Call, Context, Handler } from './context.js';
import { BodyTooLarge, Rejection, apiError, firstValues, json, readBody, writeReply, type Reply } from './http.js';
import { DECISION_PATH } from './pages.js';
import { consentGet, decisionPost } from './routes-consent.js';
import { certificateGet, credentialsGet, messagesGet, sendPost } from './routes-gmail.js';
import { revokePost, tokenInfo, userinfoGet } from './routes-oauth.js';
import { tokenPost } from './routes-token.js';
import type { RecordedRequest } from './types.js';
import { KEEP_LIMITS, SEND_SIZE_LIMIT, keepBounded } from './bounds.js';

const BODY_LIMIT = 64 * 1024;

interface Route {
  handlers: Partial<Record<string, Handler>>;
  limit?: number;
}

/** Google's paths, plus the legacy aliases older credentials files and libraries still use. */
const ROUTES = new Map<string, Route>([
  ['/o/oauth2/v2/auth', { handlers: { GET: consentGet } }],
  ['/o/oauth2/auth', { handlers: { GET: consentGet } }],
  [DECISION_PATH, { handlers: { POST: decisionPost } }],
  ['/token', { handlers: { POST: tokenPost } }],
  ['/o/oauth2/token', { handlers: { POST: tokenPost } }],
  ['/revoke', { handlers: { POST: revokePost } }],
  ['/o/oauth2/revoke', { handlers: { GET: revokePost, POST: revokePost } }],
  ['/tokeninfo', { handlers: { GET: tokenInfo, POST: tokenInfo } }],
  ['/oauth2/v3/tokeninfo', { handlers: { GET: tokenInfo, POST: tokenInfo } }],
  ['/v1/userinfo', { handlers: { GET: userinfoGet, POST: userinfoGet } }],
  ['/oauth2/v3/userinfo', { handlers: { GET: userinfoGet, POST: userinfoGet } }],
  ['/gmail/v1/users/me/messages/send', { handlers: { POST: sendPost }, limit: SEND_SIZE_LIMIT }],
  ['/emulator/v1/messages', { handlers: { GET: messagesGet } }],
  ['/emulator/v1/credentials.json', { handlers: { GET: credentialsGet } }],
  ['/emulator/v1/tls-certificate.pem', { handlers: { GET: certificateGet } }],
]);

export interface ServerParts {
  ctx: Context;
  received: RecordedRequest[];
  log: ((line: string) => void) | undefined;
  /** The Host values that name this emulator: its loopback names with its port. */
  ownHosts(): ReadonlySet<string>;
}

function run(handler: Handler, ctx: Context, call: Call): Reply {
  try {
    return handler(ctx, call);
  } catch (err) {
    if (err instanceof Rejection) return err.reply;
    // The error itself stays private: it could quote a request value.
    return apiError(500, 'Internal error encountered.', 'INTERNAL');
  }
}

function route(path: string, method: string, ctx: Context, call: Call): Reply {
  const found = ROUTES.get(path);
  if (!found) return apiError(404, `The requested URL ${path} was not found on this server.`, 'NOT_FOUND');
  const handler = found.handlers[method];
  if (handler) return run(handler, ctx, call);
  const allow = Object.keys(found.handlers).join(', ');
  const body = { error: { code: 405, message: `Method ${method} is not allowed here; use ${allow}.`, status: 'METHOD_NOT_ALLOWED' } };
  return json(405, body, { Allow: allow });
}

/** Only method, path and status: queries and bodies carry codes, tokens and secrets. */
function logOnClose(log: ServerParts['log'], res: ServerResponse, method: string, path: string): void {
  if (!log) return;
  res.on('close', () => log(`${method} ${path} ${res.writableFinished ? res.statusCode : 'no response'}`));
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** What a kept request costs: its body, plus a little for the rest. */
const recordSize = (record: RecordedRequest) => record.body.length + 512;

/** Node keeps only the first Host header; the raw list shows them all. */
function hostHeaderCount(req: IncomingMessage): number {
  return req.rawHeaders.filter((value, index) => index % 2 === 0 && value.toLowerCase() === 'host').length;
}

function absoluteTarget(target: string): URL | null {
  if (target.startsWith('/')) return null;
  try {
    return new URL(target);
  } catch {
    return null;
  }
}

/**
 * DNS rebinding: a web page whose name now points at 127.0.0.1 reaches the emulator with its own
 * name in Host. RFC 9112 §3.2: more than one Host is a 400. §3.2.2: an absolute-form target's
 * authority wins over Host, so it must name this emulator too. RFC 9110 §15.5.20: 421 is for a
 * request sent to a server that will not answer for it.
 */
function addressProblem(req: IncomingMessage, ownHosts: ReadonlySet<string>): Reply | null {
  if (hostHeaderCount(req) > 1) return apiError(400, 'A request carries one Host header.', 'INVALID_ARGUMENT');
  const absolute = absoluteTarget(req.url ?? '/');
  const authority = absolute ? (absolute.protocol === 'http:' ? absolute.host : '') : (req.headers.host ?? '');
  if (ownHosts.has(authority.toLowerCase())) return null;
  return apiError(421, 'This emulator answers only requests addressed to 127.0.0.1, localhost or [::1] with its port.', 'MISDIRECTED');
}

async function dispatch(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = req.method ?? 'GET';
  const path = url.pathname;
  logOnClose(parts.log, res, method, path);
  const misaddressed = addressProblem(req, parts.ownHosts());
  if (misaddressed) return void writeReply(res, misaddressed);
  // Recorded on arrival so `received` keeps arrival order even when bodies finish out of order.
  const record: RecordedRequest = { method, path, query: firstValues(url.searchParams), headers: { ...req.headers }, body: '', form: {} };
  keepBounded(parts.received, record, recordSize, KEEP_LIMITS.received);
  const limit = ROUTES.get(path)?.limit ?? BODY_LIMIT;
  try {
    record.body = await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      writeReply(res, apiError(413, `Request payload size exceeds the limit: ${limit} bytes.`, 'INVALID_ARGUMENT'));
    } else res.destroy();
    return;
  }
  const formParams = new URLSearchParams(isForm(req) ? record.body : '');
  record.form = firstValues(formParams);
  writeReply(res, route(path, method, parts.ctx, { ...record, formParams }));
}

export interface EmulatorServer {
  server: Server;
  /** Ends every connection, including keep-alive ones and requests a `hang` fault is holding. */
  destroySockets(): void;
}

export function createEmulatorServer(parts: ServerParts): EmulatorServer {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    dispatch(parts, req, res).catch(() => {
      if (!res.headersSent) writeReply(res, apiError(500, 'Internal error encountered.', 'INTERNAL'));
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { server, destroySockets: () => sockets.forEach((socket) => socket.destroy()) };
}
