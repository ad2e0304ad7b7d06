import type { Metadata } from 'next';
import Link from 'next/link';
import { ShieldAlert } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { requireRole } from '@/lib/auth/require-role';
import { ROLE_DESCRIPTIONS, ROLES, type Role } from '@/lib/schemas/roles';

export const metadata: Metadata = { title: 'Not allowed' };

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const user = await requireRole('support');
  const { need } = await searchParams;
  const required = ROLES.includes(need as Role) ? (need as Role) : null;
  return (
    <div className="max-w-xl">
      <Alert variant="destructive">
        <ShieldAlert aria-hidden />
        <AlertTitle>
          <span className="text-base">You don’t have access to that page</span>
        </AlertTitle>
        <AlertDescription>
          <p>
            You are signed in as {user.email} with the <strong>{user.role}</strong> role (
            {ROLE_DESCRIPTIONS[user.role].toLowerCase()}).
            {required ? (
              <>
                {' '}
                That page needs the <strong>{required}</strong> role{required === 'admin' ? '' : ' or higher'}
                .
              </>
            ) : null}
          </p>
          <p className="mt-2">
            Ask an admin to change your role if you need it.{' '}
            <Link className="underline" href="/">
              Go to the home page
            </Link>
            .
          </p>
        </AlertDescription>
      </Alert>
    </div>
  );
}
