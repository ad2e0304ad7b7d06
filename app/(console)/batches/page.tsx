import type { Metadata } from 'next';
import { NotBuiltYet } from '@/components/not-built-yet';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/require-role';

export const metadata: Metadata = { title: 'Batches' };

export default async function BatchesPage() {
  await requireRole('support');
  return (
    <>
      <PageHeader title="Batches" />
      <NotBuiltYet what="CSV mail merge with per-message results arrives here next." />
    </>
  );
}
