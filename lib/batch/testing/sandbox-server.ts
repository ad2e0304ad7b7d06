import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOX_API_PATH } from '@/lib/env';
import { handleSandboxRequest } from '@/lib/sandbox/handler';

/** Used by tests and bench/: the built-in sandbox on a real HTTP port, as the Next route serves it. */
export type SandboxServer = { port: number; apiUrl: string; close: () => Promise<void> };

export async function serveSandbox(port = 0): Promise<SandboxServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void answer(req, res, Buffer.concat(chunks)).catch(() => req.socket.destroy());
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    apiUrl: `http://127.0.0.1:${actual}${SANDBOX_API_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(', '));
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const response = await handleSandboxRequest(
    new Request(`http://127.0.0.1${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: hasBody ? new Uint8Array(body) : undefined,
    }),
  );
  // A scenario that drops the connection answers with a body stream that errors: drop the socket.
  const bytes = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => (out[name] = value));
  res.writeHead(response.status, out);
  res.end(bytes);
}
