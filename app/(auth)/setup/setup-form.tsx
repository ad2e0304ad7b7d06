'use client';

import { Loader2 } from 'lucide-react';
import { useEffect, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { ErrorSummary, summaryFromErrors } from '@/components/error-summary';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/form-field';
import { Input } from '@/components/ui/input';
import { lazyZodResolver } from '@/lib/forms/lazy-resolver';
import type { SetupInput } from '@/lib/schemas/auth';
import { MIN_PASSWORD_LENGTH } from '@/lib/schemas/auth-values';
import { completeSetupAction } from './actions';

const LABELS = { email: 'Email', name: 'Name', password: 'Password', confirm: 'Repeat password' };

// zod and the schema load once the page is interactive, not with it.
const resolver = lazyZodResolver(() => import('@/lib/schemas/auth').then((m) => m.setupSchema));

export function SetupForm({ token }: { token: string }) {
  const [pending, startTransition] = useTransition();
  const form = useForm<SetupInput>({
    resolver,
    // The error summary takes focus and links to each field.
    shouldFocusError: false,
    defaultValues: { token, email: '', name: '', password: '', confirm: '' },
  });
  useEffect(() => resolver.preload(), []);
  const { errors } = form.formState;
  const summary = summaryFromErrors(errors, LABELS, (path) => path);
  const onSubmit = form.handleSubmit((values) =>
    startTransition(async () => {
      const result = await completeSetupAction(values);
      if (result && !result.ok) form.setError('root', { message: result.error.message });
    }),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <ErrorSummary
        title={summary.length === 1 ? 'Fix this to create the admin' : 'Fix these to create the admin'}
        items={summary}
        attempt={form.formState.submitCount}
      />
      <FormField id="email" label="Email" error={errors.email?.message}>
        <Input type="email" autoComplete="username" autoFocus {...form.register('email')} />
      </FormField>
      <FormField id="name" label="Name" hint="Optional" error={errors.name?.message}>
        <Input autoComplete="name" {...form.register('name')} />
      </FormField>
      <FormField
        id="password"
        label="Password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters`}
        error={errors.password?.message}
      >
        <Input type="password" autoComplete="new-password" {...form.register('password')} />
      </FormField>
      <FormField id="confirm" label="Repeat password" error={errors.confirm?.message}>
        <Input type="password" autoComplete="new-password" {...form.register('confirm')} />
      </FormField>
      <Button type="submit" disabled={pending}>
        {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
        Create admin and sign in
      </Button>
    </form>
  );
}
