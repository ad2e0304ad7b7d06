import { NextResponse } from 'next/server';
import { loadJobSnapshot } from '@/lib/batch/snapshot';
import { requireRole } from '@/lib/auth/require-role';
import { jobIdSchema } from '@/lib/schemas/batch';

export const dynamic = 'force-dynamic';

// Polled by the job page while the job runs.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireRole('support');
  const id = jobIdSchema.safeParse((await params).id);
  const snapshot = id.success ? await loadJobSnapshot(id.data) : null;
  if (!snapshot)
    return NextResponse.json(
      { error: 'No such batch job' },
      { status: 404, headers: { 'Cache-Control': 'no-store' } },
    );
  return NextResponse.json(snapshot, { headers: { 'Cache-Control': 'no-store' } });
}
