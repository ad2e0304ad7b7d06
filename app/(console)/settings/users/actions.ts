'use server';

import { revalidatePath } from 'next/cache';
import { requireRole } from '@/lib/auth/require-role';
import { changeRole, createUser, setUserDisabled } from '@/lib/auth/users';
import { invalidInput, type ActionResult } from '@/lib/schemas/action-result';
import { changeRoleSchema, createUserSchema, setDisabledSchema } from '@/lib/schemas/auth';

export async function createUserAction(input: unknown): Promise<ActionResult<{ email: string }>> {
  const actor = await requireRole('admin');
  const parsed = createUserSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const result = await createUser(parsed.data, actor);
  if (!result.ok)
    return {
      ok: false,
      error: result.error,
      fieldErrors: result.error.code === 'email_taken' ? { email: [result.error.message] } : undefined,
    };
  revalidatePath('/settings/users');
  return { ok: true, data: { email: result.user.email } };
}

export async function changeRoleAction(input: unknown): Promise<ActionResult> {
  const actor = await requireRole('admin');
  const parsed = changeRoleSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const result = await changeRole(parsed.data.userId, parsed.data.role, actor);
  if (!result.ok) return result;
  revalidatePath('/settings/users');
  return { ok: true, data: undefined };
}

export async function setUserDisabledAction(input: unknown): Promise<ActionResult> {
  const actor = await requireRole('admin');
  const parsed = setDisabledSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const result = await setUserDisabled(parsed.data.userId, parsed.data.disabled, actor);
  if (!result.ok) return result;
  revalidatePath('/settings/users');
  return { ok: true, data: undefined };
}
