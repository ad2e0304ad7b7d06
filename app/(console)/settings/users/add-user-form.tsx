'use client';

import { Loader2, UserPlus } from 'lucide-react';
import { useEffect, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { ErrorSummary, summaryFromErrors } from '@/components/error-summary';
import { FormField } from '@/components/form-field';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { lazyZodResolver } from '@/lib/forms/lazy-resolver';
import type { CreateUserInput } from '@/lib/schemas/auth';
import { MIN_PASSWORD_LENGTH } from '@/lib/schemas/auth-values';
import { ROLE_DESCRIPTIONS, ROLES } from '@/lib/schemas/roles';
import { createUserAction } from './actions';

const LABELS = { email: 'Email', name: 'Name', role: 'Role', password: 'Initial password' };

// zod and the schema load once the page is interactive, not with it.
const resolver = lazyZodResolver(() => import('@/lib/schemas/auth').then((m) => m.createUserSchema));

export function AddUserForm() {
  const [pending, startTransition] = useTransition();
  const form = useForm<CreateUserInput>({
    resolver,
    // The error summary takes focus and links to each field.
    shouldFocusError: false,
    defaultValues: { email: '', name: '', role: 'sender', password: '' },
  });
  useEffect(() => resolver.preload(), []);
  const { errors } = form.formState;
  const summary = summaryFromErrors(errors, LABELS, (path) => `new-${path}`);
  const onSubmit = form.handleSubmit((values) =>
    startTransition(async () => {
      const result = await createUserAction(values);
      if (!result.ok) {
        for (const [field, messages] of Object.entries(result.fieldErrors ?? {}))
          form.setError(field as keyof CreateUserInput, { message: messages[0] });
        if (!result.fieldErrors) form.setError('root', { message: result.error.message });
        return;
      }
      toast.success(`Added ${result.data.email}. Give them their password through a safe channel.`);
      form.reset();
    }),
  );
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add a user" className="grid gap-4 sm:grid-cols-2">
      <div className="empty:hidden sm:col-span-2">
        <ErrorSummary
          title={summary.length === 1 ? 'Fix this to add the user' : 'Fix these to add the user'}
          items={summary}
          attempt={form.formState.submitCount}
        />
      </div>
      <FormField id="new-email" label="Email" error={errors.email?.message}>
        <Input type="email" autoComplete="off" {...form.register('email')} />
      </FormField>
      <FormField id="new-name" label="Name" hint="Optional" error={errors.name?.message}>
        <Input autoComplete="off" {...form.register('name')} />
      </FormField>
      <FormField id="new-role" label="Role" error={errors.role?.message}>
        <NativeSelect {...form.register('role')}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r} — {ROLE_DESCRIPTIONS[r]}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <FormField
        id="new-password"
        label="Initial password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters`}
        error={errors.password?.message}
      >
        <Input type="password" autoComplete="new-password" {...form.register('password')} />
      </FormField>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? <Loader2 className="animate-spin" aria-hidden /> : <UserPlus aria-hidden />}
          Add user
        </Button>
      </div>
    </form>
  );
}
