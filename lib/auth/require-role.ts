import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { hasRole, type Role } from '@/lib/schemas/roles';
import { safeReturnPath } from '@/lib/auth/return-path';
import { getSessionUser, type SessionUser } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';

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
 * the proxy (it would only add latency to every send), so for them it is the page in Referer that
 * called the action, when that page is on this console. Either way only a path on APP_URL's origin
 * comes back (see safeReturnPath).
 */
function returnPath(h: Headers): string | null {
  const appUrl = getEnv().appUrl;
  if (!h.has('next-action')) return safeReturnPath(h.get('x-console-path'), appUrl);
  let referer: URL;
  try {
    referer = new URL(h.get('referer') ?? '');
  } catch {
    return null; // No or malformed Referer: sign-in without a way back.
  }
  // The console may be reached under another name than APP_URL (127.0.0.1 for localhost, say):
  // the Host the browser used counts as this console too.
  if (referer.origin !== new URL(appUrl).origin && referer.host !== h.get('host')) return null;
  return safeReturnPath(referer.pathname + referer.search, appUrl);
}
