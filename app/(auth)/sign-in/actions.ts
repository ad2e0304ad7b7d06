'use server';

import { redirect } from 'next/navigation';
import { publicAction } from '@/lib/auth/action';
import { safeReturnPath } from '@/lib/auth/return-path';
import { signIn } from '@/lib/auth/sign-in';
import { getEnv } from '@/lib/env';
import type { ActionResult } from '@/lib/schemas/action-result';
import { signInSchema } from '@/lib/schemas/auth';

// Signing in is one of the two actions that run without a session: it is how a session starts.
export const signInAction = publicAction(signInSchema, async (input): Promise<ActionResult> => {
  const result = await signIn(input);
  if (!result.ok) return { ok: false, error: { code: result.error.code, message: result.error.message } };
  redirect(safeReturnPath(input.next, getEnv().appUrl) ?? '/');
});
