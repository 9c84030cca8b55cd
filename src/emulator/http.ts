import type { IncomingMessage, ServerResponse } from 'node:http';

type HeaderMap = Record<string, string | string[] | undefined>;

/** What a handler decides; server.ts turns it into bytes (or into silence, for faults). */
export type Reply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'html'; status: number; html: string; headers?: Record<string, string> }
  | { kind: 'text'; status: number; text: string; type: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'reset' }
  | { kind: 'hang' };

/** Thrown by validation helpers so handlers read as straight-line code. */
export class Rejection extends Error {
  constructor(readonly reply: Reply) {
    super('request rejected');
  }
}

export class BodyTooLarge extends Error {}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { kind: 'json', status, body, ...(headers ? { headers } : {}) };
}

/** The OAuth endpoints' error shape (RFC 6749 section 5.2). */
export function oauthError(status: number, error: string, description: string, subtype?: string): Reply {
  return json(status, { error, error_description: description, ...(subtype === undefined ? {} : { error_subtype: subtype }) });
}

/** The googleapis.com APIs' error shape (Gmail, userinfo). */
export function apiError(code: number, message: string, status: string): Reply {
  return json(code, { error: { code, message, status } });
}

export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      // Answering before the body is read is fine: node discards the rest of the upload.
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void): void => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) settle(() => reject(new BodyTooLarge()));
      else if (!settled) chunks.push(chunk);
    });
    req.on('end', () => settle(() => resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', (err) => settle(() => reject(err)));
  });
}

const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  res.setHeader('Cache-Control', 'no-store');
  switch (reply.kind) {
    case 'json':
      res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(`${JSON.stringify(reply.body, null, 2)}\n`);
      return;
    case 'html':
      res.writeHead(reply.status, { ...HTML_HEADERS, ...reply.headers });
      res.end(reply.html);
      return;
    case 'text':
      res.writeHead(reply.status, { 'Content-Type': reply.type, 'X-Content-Type-Options': 'nosniff' });
      res.end(reply.text);
      return;
    case 'redirect':
      // Google's consent redirect carries the code; no-referrer keeps it out of the next page's Referer.
      res.writeHead(302, { Location: reply.location, 'Referrer-Policy': 'no-referrer', 'Content-Length': '0' });
      res.end();
      return;
    case 'reset':
      res.socket?.resetAndDestroy();
      return;
    case 'hang':
      return;
  }
}

/** Tolerates malformed escapes: a client credential that is not form-encoded is taken literally. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** RFC 6749 section 2.3.1: id and secret are form-encoded before being joined for Basic auth. */
export function basicCredentials(headers: HeaderMap): { id: string; secret: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(authorization(headers));
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

export function bearerToken(headers: HeaderMap): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization(headers))?.[1];
}

function authorization(headers: HeaderMap): string {
  const value = headers['authorization'];
  return typeof value === 'string' ? value : '';
}

/** First value wins; fromEntries makes even "__proto__" a plain own key. */
export function firstValues(params: URLSearchParams): Record<string, string> {
  const seen = new Map<string, string>();
  for (const [key, value] of params) if (!seen.has(key)) seen.set(key, value);
  return Object.fromEntries(seen);
}

const UNAUTHENTICATED_MESSAGE =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.';

/**
 * The challenge Google's APIs send with a refused bearer token (RFC 6750 §3). Real 403:
 * `www-authenticate: Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="…"`
 * (kwent/react-google-contacts#6); the invalid_token form is RFC 6750's, with the same realm.
 */
export function bearerChallenge(error: 'invalid_token' | 'insufficient_scope'): Record<string, string> {
  return { 'WWW-Authenticate': `Bearer realm="https://accounts.google.com/", error="${error}"` };
}

export function unauthenticated(): Reply {
  const body = { error: { code: 401, message: UNAUTHENTICATED_MESSAGE, status: 'UNAUTHENTICATED' } };
  return json(401, body, bearerChallenge('invalid_token'));
}

export function insufficientScopes(): Reply {
  const body = { error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' } };
  return json(403, body, bearerChallenge('insufficient_scope'));
}
