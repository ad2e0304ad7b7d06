import 'server-only';
import type { z } from 'zod';
import { requireRole } from '@/lib/auth/require-role';
import type { SessionUser } from '@/lib/auth/session';
import { invalidInput, type ActionFailure, type ActionResult } from '@/lib/schemas/action-result';
import type { Role } from '@/lib/schemas/roles';
import { hasProfile } from '@/lib/sendmux/profiles';

/**
 * An expected failure raised from deep inside an action (an unknown key profile, say) and handed
 * to the caller as a value by the wrapper. Only bugs escape as exceptions.
 */
export class ActionFailureError<X extends object = object> extends Error {
  constructor(readonly failure: ActionFailure<X>) {
    super(failure.error.message);
    this.name = 'ActionFailureError';
  }
}

export type ActionContext = { user: SessionUser };

/**
 * Every server action that needs a session is one of these: the role check runs first (signed out
 * → sign-in, wrong role → /forbidden; the body never runs), then the shared zod schema, then `fn`.
 * None of the three can be forgotten or reordered.
 */
export function roleAction<S extends z.ZodType, T, X extends object = object>(
  role: Role,
  schema: S,
  fn: (input: z.output<S>, ctx: ActionContext) => Promise<ActionResult<T, X>>,
): (input: z.input<S>) => Promise<ActionResult<T, X>> {
  return async (input) => {
    const user = await requireRole(role);
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    return settle(() => fn(parsed.data, { user }));
  };
}

/**
 * The few actions that run without a session because they start one (sign-in, first-run setup):
 * validated the same way, and named for what they are.
 */
export function publicAction<S extends z.ZodType, T, X extends object = object>(
  schema: S,
  fn: (input: z.output<S>) => Promise<ActionResult<T, X>>,
): (input: z.input<S>) => Promise<ActionResult<T, X>> {
  return async (input) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    return settle(() => fn(parsed.data));
  };
}

async function settle<T, X extends object>(
  run: () => Promise<ActionResult<T, X>>,
): Promise<ActionResult<T, X>> {
  try {
    return await run();
  } catch (err) {
    // Next's redirect()/notFound() are thrown too and must pass through untouched.
    if (err instanceof ActionFailureError) return err.failure as ActionFailure<X>;
    throw err;
  }
}

/** The named key profile exists, or the action answers with a field error on `profile`. */
export function requireProfile(profile: string): string {
  if (!hasProfile(profile))
    throw new ActionFailureError({
      ok: false,
      error: { code: 'unknown_profile', message: `There is no key profile named “${profile}”` },
      fieldErrors: { profile: ['Choose a configured key profile'] },
    });
  return profile;
}
