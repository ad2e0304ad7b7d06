import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { hasRole, type Role } from '@/lib/schemas/roles';
import { getSessionUser, type SessionUser } from '@/lib/auth/session';

/**
 * The first line of every page, route handler and server action that needs a signed-in user.
 * Signed out → redirect to sign-in (back to this page afterwards); signed in without the role →
 * redirect to a page that says which role is needed. Either way the caller's code never runs.
 */
export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) {
    const from = returnPath(await headers());
    redirect(from ? `/sign-in?next=${encodeURIComponent(from)}` : '/sign-in');
  }
  if (!hasRole(user.role, role)) redirect(`/forbidden?need=${role}`);
  return user;
}

/**
 * Where to come back to after signing in. A page gets its own path from proxy.ts; server actions skip
 * the proxy (it would only add latency to every send), so for them it is the same-origin page in
 * Referer that called the action.
 */
function returnPath(h: Headers): string | null {
  let path = h.get('x-console-path');
  if (h.has('next-action')) {
    path = null;
    try {
      const referer = new URL(h.get('referer') ?? '');
      if (referer.host === h.get('host')) path = referer.pathname + referer.search;
    } catch {
      // No or malformed Referer: sign-in without a way back.
    }
  }
  return path && path.startsWith('/') && !path.startsWith('//') ? path : null;
}
