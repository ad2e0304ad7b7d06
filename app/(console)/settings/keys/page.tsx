import type { Metadata } from 'next';
import { NotBuiltYet } from '@/components/not-built-yet';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/require-role';

export const metadata: Metadata = { title: 'Sendmux keys' };

export default async function KeysPage() {
  await requireRole('support');
  return (
    <>
      <PageHeader title="Sendmux keys" />
      <NotBuiltYet what="Key profiles and the connection check arrive here next." />
    </>
  );
}
