import type { Metadata } from 'next';
import { NotBuiltYet } from '@/components/not-built-yet';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/require-role';

export const metadata: Metadata = { title: 'Requests' };

export default async function RequestsPage() {
  await requireRole('support');
  return (
    <>
      <PageHeader title="Requests" />
      <NotBuiltYet what="The request log and lookup by request ID arrive here next." />
    </>
  );
}
