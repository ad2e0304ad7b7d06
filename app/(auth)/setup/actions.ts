'use server';

import { redirect } from 'next/navigation';
import { publicAction } from '@/lib/auth/action';
import { createSession } from '@/lib/auth/session';
import { completeSetup } from '@/lib/auth/setup';
import type { ActionResult } from '@/lib/schemas/action-result';
import { setupSchema } from '@/lib/schemas/auth';

// Runs without a session by design: the one-time setup token printed in the server log is the credential.
export const completeSetupAction = publicAction(setupSchema, async (input): Promise<ActionResult> => {
  const result = await completeSetup(input);
  if (!result.ok) return { ok: false, error: result.error };
  await createSession(result.user.id);
  redirect('/');
});
