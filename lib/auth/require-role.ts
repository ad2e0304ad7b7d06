import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { hasRole, type Role } from './roles';
import { getSessionUser, type SessionUser } from './session';

/**
 * The first line of every page, route handler and server action that needs a signed-in user.
 * Signed out → redirect to sign-in (back to this page afterwards); signed in without the role →
 * redirect to a page that says which role is needed. Either way the caller's code never runs.
 */
export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) {
    const from = (await headers()).get('x-console-path');
    redirect(from && from.startsWith('/') && !from.startsWith('//') ? `/sign-in?next=${encodeURIComponent(from)}` : '/sign-in');
  }
  if (!hasRole(user.role, role)) redirect(`/forbidden?need=${role}`);
  return user;
}
