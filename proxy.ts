import { NextResponse, type NextRequest } from 'next/server';

// Optimistic only: it sends signed-out visitors to sign-in sooner and tells pages their own path
// (for "back to where you were" after sign-in). Every page, route handler and server action still
// checks the session and role itself.
export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname + request.nextUrl.search;
  if (request.method === 'GET' && !request.cookies.has('smx_session')) {
    const url = new URL('/sign-in', request.url);
    if (request.nextUrl.pathname !== '/') url.searchParams.set('next', path);
    return NextResponse.redirect(url);
  }
  const headers = new Headers(request.headers);
  headers.set('x-console-path', path);
  return NextResponse.next({ request: { headers } });
}

// Server actions are left out: each one checks the session itself, and this hop would add about a
// millisecond to every send (bench/send-overhead).
export const config = {
  matcher: [
    {
      source:
        '/((?!_next/|api/|sandbox/api/|sign-in|setup|favicon\\.ico|.*\\.(?:png|svg|ico|webp|woff2|txt)$).*)',
      missing: [{ type: 'header', key: 'next-action' }],
    },
  ],
};
