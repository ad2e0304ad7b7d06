import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@/lib/schemas/auth-values';
import { ROLES } from '@/lib/schemas/roles';

const email = z
  .string()
  .trim()
  .min(1, 'Enter an email address')
  .max(254, 'Email addresses are at most 254 characters')
  .pipe(z.email('Enter a valid email address, like name@example.com'));

const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters`);

export const signInSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password').max(MAX_PASSWORD_LENGTH),
  next: z.string().optional(),
});
export type SignInInput = z.infer<typeof signInSchema>;

export const setupSchema = z
  .object({
    token: z.string().min(1),
    email,
    name: z.string().trim().max(100).optional(),
    password: newPassword,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords do not match' });
export type SetupInput = z.infer<typeof setupSchema>;

export const createUserSchema = z.object({
  email,
  name: z.string().trim().max(100, 'Names are at most 100 characters').optional(),
  role: z.enum(ROLES, { error: 'Choose a role' }),
  password: newPassword,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const changeRoleSchema = z.object({ userId: z.string().min(1), role: z.enum(ROLES) });
export const setDisabledSchema = z.object({ userId: z.string().min(1), disabled: z.boolean() });
