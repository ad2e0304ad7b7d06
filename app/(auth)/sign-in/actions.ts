'use server';

import { redirect } from 'next/navigation';
import { signIn } from '@/lib/auth/sign-in';
import { invalidInput, type ActionResult } from '@/lib/schemas/action-result';
import { signInSchema } from '@/lib/schemas/auth';

function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

// Signing in is the one action that runs without a session: it is how a session starts.
export async function signInAction(input: unknown): Promise<ActionResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const result = await signIn(parsed.data);
  if (!result.ok) return { ok: false, error: { code: result.error.code, message: result.error.message } };
  redirect(safeNext(parsed.data.next));
}
