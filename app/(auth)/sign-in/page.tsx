import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Terminal } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { safeReturnPath } from '@/lib/auth/return-path';
import { getSessionUser } from '@/lib/auth/session';
import { countUsers } from '@/lib/auth/users';
import { getEnv } from '@/lib/env';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next: raw } = await searchParams;
  const next = safeReturnPath(typeof raw === 'string' ? raw : undefined, getEnv().appUrl) ?? undefined;
  if (await getSessionUser()) redirect(next ?? '/');
  const noUsers = (await countUsers()) === 0;
  return (
    <div className="w-full max-w-sm">
      <Card>
        <CardHeader>
          <CardTitle>
            <span className="text-xl">Sign in</span>
          </CardTitle>
          <CardDescription>Send, batch and troubleshoot email through Sendmux.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {noUsers ? (
            <Alert>
              <Terminal aria-hidden />
              <AlertTitle>First run: create the admin</AlertTitle>
              <AlertDescription>
                <p>
                  No accounts exist yet. The server printed a one-time <strong>Setup link</strong> in its log
                  (the terminal where you ran <code className="font-mono text-xs">npm start</code>). Open it
                  to create the first admin.
                </p>
                <p className="mt-2">
                  Or set <code className="font-mono text-xs">ADMIN_EMAIL</code> and{' '}
                  <code className="font-mono text-xs">ADMIN_PASSWORD</code> and restart.
                </p>
              </AlertDescription>
            </Alert>
          ) : null}
          <SignInForm next={next} />
        </CardContent>
      </Card>
    </div>
  );
}
