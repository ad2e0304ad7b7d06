'use client';

import { Loader2 } from 'lucide-react';
import { useEffect, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { ErrorSummary, summaryFromErrors } from '@/components/error-summary';
import { FormField } from '@/components/form-field';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { lazyZodResolver } from '@/lib/forms/lazy-resolver';
import type { SignInInput } from '@/lib/schemas/auth';
import { signInAction } from './actions';

const LABELS = { email: 'Email', password: 'Password' };

// zod and the schema load once the page is interactive, not with it.
const resolver = lazyZodResolver(() => import('@/lib/schemas/auth').then((m) => m.signInSchema));

export function SignInForm({ next }: { next?: string }) {
  const [pending, startTransition] = useTransition();
  const form = useForm<SignInInput>({
    resolver,
    // The error summary takes focus and links to each field.
    shouldFocusError: false,
    defaultValues: { email: '', password: '', next },
  });
  useEffect(() => resolver.preload(), []);
  const { errors } = form.formState;
  const summary = summaryFromErrors(errors, LABELS, (path) => path, 'password');

  const onSubmit = form.handleSubmit((values) =>
    startTransition(async () => {
      const result = await signInAction(values);
      if (result && !result.ok) {
        form.setError('root', { message: result.error.message });
        // The summary takes focus and links to the emptied password field.
        form.setValue('password', '');
      }
    }),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <ErrorSummary
        title={summary.length === 1 ? 'Fix this to sign in' : 'Fix these to sign in'}
        items={summary}
        attempt={form.formState.submitCount}
      />
      <FormField id="email" label="Email" error={errors.email?.message} className="gap-2">
        <Input type="email" autoComplete="username" autoFocus {...form.register('email')} />
      </FormField>
      <FormField id="password" label="Password" error={errors.password?.message} className="gap-2">
        <Input type="password" autoComplete="current-password" {...form.register('password')} />
      </FormField>
      <Button type="submit" disabled={pending} className="mt-2">
        {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
        Sign in
      </Button>
    </form>
  );
}
