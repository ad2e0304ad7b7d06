import { NextResponse } from 'next/server';
import { requireRole } from '@/lib/auth/require-role';
import { getJob } from '@/lib/batch/job-queries';
import { jobDeliveryCounts } from '@/lib/delivery/batch';
import { jobIdSchema } from '@/lib/schemas/batch';

export const dynamic = 'force-dynamic';

// The job page's delivery counts (delivered, bounced… and no event yet), polled as events arrive.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireRole('support');
  const id = jobIdSchema.safeParse((await params).id);
  const job = id.success ? await getJob(id.data) : null;
  if (!job) return NextResponse.json({ error: 'No such batch job' }, { status: 404 });
  return NextResponse.json(
    { counts: await jobDeliveryCounts(job.id) },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
