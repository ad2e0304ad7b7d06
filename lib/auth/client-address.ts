import 'server-only';
import http from 'node:http';

/** Set on every request by installPeerAddressHeader(): the TCP peer, which no client can forge. */
export const PEER_HEADER = 'x-sendmux-peer';

const FORWARDED_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-real-ip',
];

const normalize = (address: string | null | undefined): string | null => {
  const a = address?.trim();
  if (!a) return null;
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
};

/**
 * The client's address. Without trusted proxies it is the TCP peer; behind `trustProxy` of them it
 * is the X-Forwarded-For entry that the outermost trusted proxy appended (counting from the right,
 * as everything to its left was written by the client and may be made up).
 */
export function clientAddress(headers: Headers, trustProxy: number): string | null {
  const peer = normalize(headers.get(PEER_HEADER));
  if (trustProxy <= 0) return peer;
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  if (hops.length > 0) return normalize(hops[Math.max(0, hops.length - trustProxy)]);
  return normalize(headers.get('x-real-ip')) ?? peer;
}

const globalForPeer = globalThis as typeof globalThis & { __sendmuxPeerHeader?: boolean };

/**
 * `next start` hands pages and actions no socket, and fills X-Forwarded-For from the socket only
 * when the client sent none. So every request is stamped with its TCP peer here, and unless a
 * proxy is trusted the X-Forwarded-* headers a client sent are dropped before Next (whose own
 * Origin check reads X-Forwarded-Host) or the console can believe them.
 */
export function installPeerAddressHeader(trustProxy: number): void {
  if (globalForPeer.__sendmuxPeerHeader) return;
  globalForPeer.__sendmuxPeerHeader = true;
  const emit = http.Server.prototype.emit as (
    this: http.Server,
    event: string | symbol,
    ...args: unknown[]
  ) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as http.IncomingMessage;
      if (trustProxy <= 0) for (const name of FORWARDED_HEADERS) delete req.headers[name];
      req.headers[PEER_HEADER] = req.socket.remoteAddress ?? '';
    }
    return emit.apply(this, [event, ...args]);
  } as typeof http.Server.prototype.emit;
}
