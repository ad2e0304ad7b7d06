'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { roleAction } from '@/lib/auth/action';
import { recordAudit } from '@/lib/auth/audit';
import { destroySession } from '@/lib/auth/session';

export const signOutAction = roleAction('support', z.undefined(), async (_input, { user }) => {
  await destroySession();
  await recordAudit({ action: 'sign_out', actor: user, target: user.email });
  redirect('/sign-in');
});
