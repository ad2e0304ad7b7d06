import 'server-only';
import diagnostics from 'node:diagnostics_channel';
import type http from 'node:http';

/**
 * How long one request may take, body included. Node cuts a request off with a 408 after 300 s,
 * and `next start` has no setting for it: a 250 MB CSV (MAX_CSV_BYTES) would need 6.7 Mbit/s to
 * beat that, and a million-row upload is read as it is stored (about two minutes here). An hour
 * lets the biggest file through at 0.6 Mbit/s. A slow client still cannot hold a connection
 * without sending: headers must arrive within Node's 60 s, and idle keep-alive sockets close
 * after 5 s.
 */
export const REQUEST_TIMEOUT_MS = 60 * 60_000;

const globalForTimeout = globalThis as typeof globalThis & { __sendmuxRequestTimeout?: () => void };

/**
 * Raises every HTTP server's `requestTimeout` in this process to `ms` when it serves its first
 * request (Node reads the field at each check), never lowering it and leaving 0 (no limit) alone.
 * Returns the way to stop watching, for tests.
 */
export function extendRequestTimeout(ms: number = REQUEST_TIMEOUT_MS): () => void {
  globalForTimeout.__sendmuxRequestTimeout?.();
  const seen = new WeakSet<http.Server>();
  const onStart = (message: unknown) => {
    const { server } = message as { server: http.Server };
    if (seen.has(server)) return;
    seen.add(server);
    if (server.requestTimeout !== 0 && server.requestTimeout < ms) server.requestTimeout = ms;
  };
  diagnostics.subscribe('http.server.request.start', onStart);
  const stop = () => {
    diagnostics.unsubscribe('http.server.request.start', onStart);
    if (globalForTimeout.__sendmuxRequestTimeout === stop) delete globalForTimeout.__sendmuxRequestTimeout;
  };
  globalForTimeout.__sendmuxRequestTimeout = stop;
  return stop;
}
