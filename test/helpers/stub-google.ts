import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export interface StubAnswer {
  status: number;
  body: unknown;
}

export interface StubGoogle {
  /** How Google answers from now on: `fn(path)` as JSON. */
  answer(fn: (path: string) => StubAnswer): void;
  /** Where it listens, e.g. `http://127.0.0.1:5555`, for an endpoint the emulator does not play. */
  origin(): string;
  /** The same as `host:port`, for GMAIL_TOKEN_EMULATOR_HOST-style endpoints. */
  hostPort(): string;
}

/**
 * Google in a documented case the emulator does not play, for the file or describe block that
 * calls it: a server on 127.0.0.1 that answers every request as JSON, by default 404 `{}`.
 */
export function useStubGoogle(): StubGoogle {
  let answer: (path: string) => StubAnswer = () => ({ status: 404, body: {} });
  let server: Server;
  let hostPort = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const { status, body } = answer(new URL(req.url ?? '/', 'http://stub').pathname);
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hostPort = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    answer: (fn) => void (answer = fn),
    origin: () => `http://${hostPort}`,
    hostPort: () => hostPort,
  };
}
