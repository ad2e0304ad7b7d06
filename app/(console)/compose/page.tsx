import type { Metadata } from 'next';
import { NotBuiltYet } from '@/components/not-built-yet';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/require-role';

export const metadata: Metadata = { title: 'Compose' };

export default async function ComposePage() {
  await requireRole('sender');
  return (
    <>
      <PageHeader title="Compose" />
      <NotBuiltYet what="Writing and test-sending a single email arrives here next." />
    </>
  );
}
