import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/**
 * Stands between the CLI and the emulator and holds the token request until `release()`, so a
 * test can change token.json (or its lock) while the CLI waits for Google. Released and closed
 * when the test ends.
 */
export async function holdingProxy(target: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  const forward = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.url === '/token') {
      arrived();
      await released;
    }
    const answer = await fetch(`${target}${request.url}`, { method: request.method, headers: request.headers as Record<string, string>, body: request.method === 'GET' ? undefined : Buffer.concat(chunks) });
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(Buffer.from(await answer.arrayBuffer()));
  };
  const server = createServer((request, response) => void forward(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    release();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}`, held, release };
}
