'use server';

import { revalidatePath } from 'next/cache';
import { roleAction } from '@/lib/auth/action';
import { changeRole, createUser, setUserDisabled } from '@/lib/auth/users';
import type { ActionResult } from '@/lib/schemas/action-result';
import { changeRoleSchema, createUserSchema, setDisabledSchema } from '@/lib/schemas/auth';

export const createUserAction = roleAction(
  'admin',
  createUserSchema,
  async (input, { user: actor }): Promise<ActionResult<{ email: string }>> => {
    const result = await createUser(input, actor);
    if (!result.ok)
      return {
        ok: false,
        error: result.error,
        fieldErrors: result.error.code === 'email_taken' ? { email: [result.error.message] } : undefined,
      };
    revalidatePath('/settings/users');
    return { ok: true, data: { email: result.user.email } };
  },
);

export const changeRoleAction = roleAction(
  'admin',
  changeRoleSchema,
  async ({ userId, role }, { user: actor }): Promise<ActionResult> => {
    const result = await changeRole(userId, role, actor);
    if (!result.ok) return result;
    revalidatePath('/settings/users');
    return { ok: true, data: undefined };
  },
);

export const setUserDisabledAction = roleAction(
  'admin',
  setDisabledSchema,
  async ({ userId, disabled }, { user: actor }): Promise<ActionResult> => {
    const result = await setUserDisabled(userId, disabled, actor);
    if (!result.ok) return result;
    revalidatePath('/settings/users');
    return { ok: true, data: undefined };
  },
);
