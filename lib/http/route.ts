import 'server-only';
import { after } from 'next/server';
import { getSessionUser, type SessionUser } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import type { ActionFailure } from '@/lib/schemas/action-result';
import { hasRole, type Role } from '@/lib/schemas/roles';

/** A JSON answer in the shape server actions use, so the page reads both alike. */
export function failure(status: number, code: string, message: string, extra: Partial<ActionFailure> = {}) {
  const body: ActionFailure = { ok: false, error: { code, message }, ...extra };
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}

/**
 * A browser that sends an Origin must send this console's: the session cookie is SameSite=Lax,
 * and this is the second line, as Next.js checks it for server actions. Clients without a browser
 * send no Origin and still need the session cookie.
 */
function sameOrigin(request: Request): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const hosts = [new URL(getEnv().appUrl).host, request.headers.get('host')];
  return hosts.includes(host);
}

/**
 * A route handler that fetch() calls with a body (file uploads): the session and role are checked
 * before the body is touched, and the answer is 401/403 JSON rather than a redirect to sign-in.
 */
export function roleRoute<P = Record<string, never>>(
  role: Role,
  handler: (request: Request, ctx: { user: SessionUser; params: P }) => Promise<Response>,
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    if (!sameOrigin(request))
      return failure(
        403,
        'cross_origin',
        'This request came from another site; open the console and try there.',
      );
    const user = await getSessionUser();
    if (!user) return failure(401, 'signed_out', 'Your session has ended: sign in again, then retry.');
    if (!hasRole(user.role, role)) return failure(403, 'forbidden', `This needs the ${role} role.`);
    return handler(request, { user, params: await context.params });
  };
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The request body, read as it arrives and abandoned the moment it passes `limit` bytes, so a
 * client cannot make the server hold more than that (a declared Content-Length over it is refused
 * before reading at all).
 */
export async function readBodyCapped(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      discardRest(reader, limit);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Refusing a body part way: the answer goes out now, and what is left of the body is read and
 * thrown away after it (up to `budget` more bytes; past that the connection is dropped).
 *
 * A server that stops reading leaves the client unable to finish sending. Chromium reads no answer
 * until its upload is done or fails; it failed only when the idle connection was reset some
 * seconds later, and a reset can take the unread answer with it (behind a proxy it did), so the
 * user saw "the upload broke off" in place of the refusal. Node reads an untouched body to its end
 * the same way.
 */
export function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): void {
  after(async () => {
    let left = budget;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        left -= value.byteLength;
        if (left < 0) break;
      }
    } catch {
      return; // the client went away
    }
    await reader.cancel().catch(() => undefined);
  });
}
