'use client';

import { AlertCircle, Loader2 } from 'lucide-react';
import { useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { lazyZodResolver } from '@/lib/forms/lazy-resolver';
import type { SignInInput } from '@/lib/schemas/auth';
import { signInAction } from './actions';

export function SignInForm({ next }: { next?: string }) {
  const [pending, startTransition] = useTransition();
  const form = useForm<SignInInput>({
    resolver: lazyZodResolver(() => import('@/lib/schemas/auth').then((m) => m.signInSchema)),
    defaultValues: { email: '', password: '', next },
  });
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
      <div className="grid gap-2">
        <Label htmlFor="email">Email</Label>
        <Input
          id="email"
          type="email"
          autoComplete="username"
          autoFocus
          aria-invalid={!!errors.email}
          aria-describedby={errors.email ? 'email-error' : undefined}
          {...form.register('email')}
        />
        {errors.email ? (
          <p id="email-error" className="text-destructive text-sm">
            {errors.email.message}
          </p>
        ) : null}
      </div>
      <div className="grid gap-2">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={!!errors.password}
          aria-describedby={errors.password ? 'password-error' : undefined}
          {...form.register('password')}
        />
        {errors.password ? (
          <p id="password-error" className="text-destructive text-sm">
            {errors.password.message}
          </p>
        ) : null}
      </div>
      <Button type="submit" disabled={pending} className="mt-2">
        {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
        Sign in
      </Button>
    </form>
  );
}
