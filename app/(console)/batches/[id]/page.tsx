import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { QueryProvider } from '@/components/query-provider';
import { requireRole } from '@/lib/auth/require-role';
import { hasRole } from '@/lib/schemas/roles';
import { getJob } from '@/lib/batch/job-queries';
import { jobIdSchema, jobRowsSearchSchema } from '@/lib/schemas/batch';
import { loadJobSnapshot } from '@/lib/batch/snapshot';
import { JobView } from './job-view';

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = jobIdSchema.safeParse((await params).id);
  const job = id.success ? await getJob(id.data) : null;
  return { title: job ? `Batch: ${job.name}` : 'Batch' };
}

export default async function JobPage({ params, searchParams }: Props) {
  const user = await requireRole('support');
  const id = jobIdSchema.safeParse((await params).id);
  const snapshot = id.success ? await loadJobSnapshot(id.data) : null;
  if (!snapshot) notFound();
  const filters = jobRowsSearchSchema.parse(await searchParams);
  return (
    <QueryProvider>
      <JobView initial={snapshot} canControl={hasRole(user.role, 'sender')} filters={filters} />
    </QueryProvider>
  );
}
