import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { extendRequestTimeout, REQUEST_TIMEOUT_MS } from '@/lib/http/request-timeout';

let stop: (() => void) | undefined;
afterEach(() => stop?.());

/**
 * A server that answers once the whole body is in, and a client that sends its 30-byte body one
 * byte every 100 ms (3 s in all). Resolves with the status line and when it came, in ms from the start.
 */
async function trickle(options: http.ServerOptions): Promise<{ status: string; afterMs: number }> {
  const server = http.createServer({ connectionsCheckingInterval: 100, ...options }, (req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      const started = performance.now();
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write('POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 30\r\n\r\n'),
      );
      let sent = 0;
      const drip = setInterval(() => sent < 30 && socket.write('a', () => sent++), 100);
      socket.once('data', (chunk) => {
        clearInterval(drip);
        socket.destroy();
        resolve({ status: String(chunk).split('\r\n')[0] ?? '', afterMs: performance.now() - started });
      });
      socket.once('error', (err) => {
        clearInterval(drip);
        reject(err);
      });
    });
  } finally {
    server.close();
  }
}

describe('extendRequestTimeout', () => {
  it('is an hour, well over the 300 s Node gives a whole request', () => {
    expect(REQUEST_TIMEOUT_MS).toBe(3_600_000);
    expect(new http.Server().requestTimeout).toBe(300_000);
  });

  it("lets a slow body finish that the server's own requestTimeout would cut off", async () => {
    // Without it, the server cuts the request off at its own 1 s.
    const cut = await trickle({ requestTimeout: 1_000, headersTimeout: 500 });
    expect(cut.status).toBe('HTTP/1.1 408 Request Timeout');
    expect(cut.afterMs).toBeLessThan(2_500);

    stop = extendRequestTimeout(60_000);
    const slow = await trickle({ requestTimeout: 1_000, headersTimeout: 500 });
    expect(slow.status).toBe('HTTP/1.1 200 OK');
    expect(slow.afterMs).toBeGreaterThan(2_900);
  }, 30_000);

  it('still cuts off a request that runs past the longer limit', async () => {
    stop = extendRequestTimeout(2_500);
    const cut = await trickle({ requestTimeout: 1_000, headersTimeout: 500 });
    expect(cut.status).toBe('HTTP/1.1 408 Request Timeout');
    expect(cut.afterMs).toBeGreaterThan(2_400);
    expect(cut.afterMs).toBeLessThan(5_000);
  }, 30_000);

  it('never lowers a limit, and leaves "no limit" alone', async () => {
    stop = extendRequestTimeout(2_000);
    const servers = [new http.Server({ requestTimeout: 0 }), new http.Server({ requestTimeout: 5_000 })];
    for (const server of servers) {
      server.on('request', (_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`).then((r) => r.text());
      server.close();
    }
    expect(servers.map((s) => s.requestTimeout)).toEqual([0, 5_000]);
  });
});
