'use client';

import { AlertCircle, Loader2 } from 'lucide-react';
import { useEffect, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { FormField } from '@/components/form-field';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { lazyZodResolver } from '@/lib/forms/lazy-resolver';
import type { SignInInput } from '@/lib/schemas/auth';
import { signInAction } from './actions';

// zod and the schema load once the page is interactive, not with it.
const resolver = lazyZodResolver(() => import('@/lib/schemas/auth').then((m) => m.signInSchema));

export function SignInForm({ next }: { next?: string }) {
  const [pending, startTransition] = useTransition();
  const form = useForm<SignInInput>({
    resolver,
    defaultValues: { email: '', password: '', next },
  });
  useEffect(() => resolver.preload(), []);
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) =>
    startTransition(async () => {
      const result = await signInAction(values);
      if (result && !result.ok) {
        form.setError('root', { message: result.error.message });
        form.setValue('password', '');
        form.setFocus('password');
      }
    }),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      {errors.root ? (
        <Alert variant="destructive">
          <AlertCircle aria-hidden />
          <AlertDescription>{errors.root.message}</AlertDescription>
        </Alert>
      ) : null}
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
