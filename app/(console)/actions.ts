'use server';

import { redirect } from 'next/navigation';
import { recordAudit } from '@/lib/auth/audit';
import { requireRole } from '@/lib/auth/require-role';
import { destroySession } from '@/lib/auth/session';

export async function signOutAction(): Promise<void> {
  const user = await requireRole('support');
  await destroySession();
  await recordAudit({ action: 'sign_out', actor: user, target: user.email });
  redirect('/sign-in');
}
