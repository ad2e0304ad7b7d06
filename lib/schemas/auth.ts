import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 12;
export const ROLE_VALUES = ['admin', 'sender', 'support'] as const;

const email = z
  .string()
  .trim()
  .min(1, 'Enter an email address')
  .max(254, 'Email addresses are at most 254 characters')
  .pipe(z.email('Enter a valid email address, like name@example.com'));

const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(128, 'Use at most 128 characters');

export const signInSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password').max(128),
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
  role: z.enum(ROLE_VALUES, { error: 'Choose a role' }),
  password: newPassword,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const changeRoleSchema = z.object({ userId: z.string().min(1), role: z.enum(ROLE_VALUES) });
export const setDisabledSchema = z.object({ userId: z.string().min(1), disabled: z.boolean() });
