import type { Metadata } from 'next';
import Link from 'next/link';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { isSetupTokenValid } from '@/lib/auth/setup';
import { countUsers } from '@/lib/auth/users';
import { SetupForm } from './setup-form';

export const metadata: Metadata = { title: 'First-run setup' };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token = '' } = await searchParams;
  const done = (await countUsers()) > 0;
  const valid = !done && (await isSetupTokenValid(token));
  return (
    <div className="w-full max-w-md">
      <Card>
        <CardHeader>
          <CardTitle>
            <span className="text-xl">Create the first admin</span>
          </CardTitle>
          <CardDescription>
            This account manages users and settings. You can add senders and support staff next.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {done ? (
            <Alert>
              <AlertTitle>Setup is already done</AlertTitle>
              <AlertDescription>
                An admin exists.{' '}
                <Link className="underline" href="/sign-in">
                  Sign in
                </Link>{' '}
                instead.
              </AlertDescription>
            </Alert>
          ) : valid ? (
            <SetupForm token={token} />
          ) : (
            <Alert variant="destructive">
              <AlertTitle>This setup link is not valid</AlertTitle>
              <AlertDescription>
                Use the exact link the server printed in its log (it starts with “Setup link:”). A link works
                once and for 24 hours; restart the server for a new one.
              </AlertDescription>
            </Alert>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
