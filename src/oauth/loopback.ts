import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import enableDestroy from 'server-destroy';
import { WRONG_ISSUER, parseCallback, type Callback } from '../core/consent.js';
import { FlowError, UsageError } from '../core/errors.js';
import { PAGE_HEADERS, errorPage, partialPage, successPage } from '../core/pages.js';
import { missingScopes } from '../core/scopes.js';

export type Consent = Extract<Callback, { kind: 'code' } | { kind: 'error' }>;

export interface LoopbackOptions {
  hostname: '127.0.0.1' | 'localhost';
  port: number;
  path: string;
  state: string;
  /** What consent was asked for, so the page can tell at once when a box was left unticked. */
  scopes: readonly string[];
  /** Who may answer as `iss` (RFC 9207); Google alone when not given. */
  issuers?: readonly string[];
}

export interface LoopbackServer {
  redirectUri: string;
  /** Resolves with the first callback that carries our state; rejects when `signal` aborts. */
  waitForCallback(signal: AbortSignal): Promise<Consent>;
  close(): Promise<void>;
}

/** Small limits: the only request that matters is one short GET. */
const LIMITS = { maxHeaderSize: 16 * 1024, requestTimeout: 10_000, headersTimeout: 10_000, keepAliveTimeout: 1_000 };

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Cache-Control': 'no-store', Connection: 'close', ...headers });
  res.end(body);
}

/** Google lists the granted scopes on the redirect; when it does not, the exchange decides. */
function pageFor(granted: readonly string[], requested: readonly string[]): string {
  const missing = granted.length === 0 ? [] : missingScopes(requested, granted);
  return missing.length === 0 ? successPage(granted) : partialPage(granted, missing);
}

/** Why the loopback server could not listen on `port`, for the person: a port taken or not allowed is theirs to change (exit 2). */
export function listenFailure(error: NodeJS.ErrnoException, port: number): UsageError | FlowError {
  if (error.code === 'EADDRINUSE') return new UsageError(`Port ${port} on 127.0.0.1 is in use. Free it, or pick another with --port (0 picks a free one).`);
  if (error.code === 'EACCES') return new UsageError(`Not allowed to listen on port ${port}. Use a port above 1023, or --port 0.`);
  return new FlowError(`Could not start the loopback server: ${error.code ?? error.message}.`);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenFailure(error, port)));
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A port that is free now, for a redirect URI nothing will listen on (--manual). */
export async function freeLoopbackPort(port: number): Promise<number> {
  const server = createServer();
  const chosen = await listen(server, port);
  await new Promise((resolve) => server.close(resolve));
  return chosen;
}

/**
 * The redirect target of the consent flow (SPEC flow steps 3 and 5). It binds 127.0.0.1 only,
 * answers only its callback path, refuses Host names other than its own (DNS rebinding), and
 * closes with every socket destroyed after the first callback that carries our state.
 */
export async function startLoopbackServer(options: LoopbackOptions): Promise<LoopbackServer> {
  let deliver: (consent: Consent) => void = () => undefined;
  const delivered = new Promise<Consent>((resolve) => (deliver = resolve));
  let allowedHosts = new Set<string>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (!allowedHosts.has(req.headers.host ?? '')) return answer(res, 421, 'Misdirected request\n');
    if (req.method !== 'GET') return answer(res, 404, 'Not found\n');
    const callback = parseCallback(req.url ?? '', options);
    if (callback.kind === 'not-found') return answer(res, 404, 'Not found\n');
    if (callback.kind === 'rejected') {
      const why = callback.reason === WRONG_ISSUER ? ` (${WRONG_ISSUER})` : '';
      return answer(res, 400, `Bad request: this is not the consent callback this tool is waiting for${why}.\n`);
    }
    const page = callback.kind === 'code' ? pageFor(callback.scopes, options.scopes) : errorPage(callback.error, callback.description);
    res.on('finish', () => void close());
    answer(res, 200, page, PAGE_HEADERS);
    deliver(callback);
  };

  const server = createServer(LIMITS, handle);
  server.on('clientError', (_error, socket) => socket.destroy());
  enableDestroy(server);
  const port = await listen(server, options.port);
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise((resolve) => {
      server.destroy(() => resolve());
    }));

  return {
    redirectUri: `http://${options.hostname}:${port}${options.path}`,
    close,
    waitForCallback: (signal) =>
      new Promise<Consent>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        void delivered.then(resolve);
      }),
  };
}
