import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';

const SESSION_COOKIES = ['smx_session', '__Host-smx_session'];
/** Pages a signed-out visitor may open. */
const OPEN_PATHS = /^\/(sign-in|setup)(\/|$)/;

/**
 * Scripts run only with this response's nonce ('strict-dynamic' lets Next's own chunks load the
 * rest); no inline script without it. Images may come from anywhere because the email previews
 * inherit this policy; each preview adds its own that blocks remote images until asked
 * (components/email-frame.tsx).
 */
export function contentSecurityPolicy(nonce: string, secure: boolean, dev = false): string {
  return [
    "default-src 'self'",
    // `next dev` only: React rebuilds server error stacks in the browser with eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https: http:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self' blob: data:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(secure ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

// Sends signed-out visitors to sign-in sooner (optimistic only: every page, route handler and
// server action still checks the session and role itself), tells pages their own path (for "back
// to where you were" after sign-in), and sets the per-request CSP nonce that Next puts on its scripts.
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const path = pathname + request.nextUrl.search;
  const signedOut = !SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (request.method === 'GET' && signedOut && !OPEN_PATHS.test(pathname)) {
    const url = new URL('/sign-in', request.url);
    if (pathname !== '/') url.searchParams.set('next', path);
    return NextResponse.redirect(url);
  }
  const { secure, nodeEnv } = getEnv();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const csp = contentSecurityPolicy(nonce, secure, nodeEnv === 'development');
  const headers = new Headers(request.headers);
  headers.set('x-console-path', path);
  headers.set('x-nonce', nonce);
  // Next reads the nonce from the request's CSP header and adds it to every script it renders.
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  if (secure) response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  return response;
}

// Server actions are left out: each one checks the session itself, answers with no HTML, and this
// hop would add about a millisecond to every send (bench/send-overhead).
export const config = {
  matcher: [
    {
      source:
        '/((?!_next/|api/|sandbox/api/|sandbox/management/|favicon\\.ico|.*\\.(?:png|svg|ico|webp|woff2|txt|css|js|map)$).*)',
      missing: [{ type: 'header', key: 'next-action' }],
    },
  ],
};
