'use server';

import { redirect } from 'next/navigation';
import { createSession } from '@/lib/auth/session';
import { completeSetup } from '@/lib/auth/setup';
import { invalidInput, type ActionResult } from '@/lib/schemas/action-result';
import { setupSchema } from '@/lib/schemas/auth';

// Runs without a session by design: the one-time setup token printed in the server log is the credential.
export async function completeSetupAction(input: unknown): Promise<ActionResult> {
  const parsed = setupSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const result = await completeSetup(parsed.data);
  if (!result.ok) return { ok: false, error: result.error };
  await createSession(result.user.id);
  redirect('/');
}
