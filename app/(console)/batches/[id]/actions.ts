'use server';

import { requireRole } from '@/lib/auth/require-role';
import { cancelJob, pauseJob, resumeJob, retryFailedRows } from '@/lib/batch/job-controls';
import type { ControlResult, JobStatus } from '@/lib/batch/job-types';
import { invalidInput, type ActionResult } from '@/lib/schemas/action-result';
import { jobControlSchema } from '@/lib/schemas/batch';

type StatusResult = ActionResult<{ status: JobStatus }>;

const statusOf = (result: ControlResult): StatusResult =>
  result.ok ? { ok: true, data: { status: result.data.status } } : { ok: false, error: result.error };

export async function pauseJobAction(input: unknown): Promise<StatusResult> {
  const user = await requireRole('sender');
  const parsed = jobControlSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return statusOf(await pauseJob(parsed.data.jobId, { id: user.id, email: user.email }));
}

export async function resumeJobAction(input: unknown): Promise<StatusResult> {
  const user = await requireRole('sender');
  const parsed = jobControlSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return statusOf(await resumeJob(parsed.data.jobId, { id: user.id, email: user.email }));
}

export async function cancelJobAction(input: unknown): Promise<StatusResult> {
  const user = await requireRole('sender');
  const parsed = jobControlSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return statusOf(await cancelJob(parsed.data.jobId, { id: user.id, email: user.email }));
}

export type RetryFailedSummary = {
  try: number;
  retriedRows: number;
  reopenedRows: number;
  needsChangeRows: number;
};

export async function retryFailedRowsAction(input: unknown): Promise<ActionResult<RetryFailedSummary>> {
  const user = await requireRole('sender');
  const parsed = jobControlSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const result = await retryFailedRows(parsed.data.jobId, { id: user.id, email: user.email });
  if (!result.ok) return { ok: false, error: result.error };
  const d = result.data;
  return {
    ok: true,
    data: {
      try: d.try,
      retriedRows: d.retriedRows,
      reopenedRows: d.reopenedRows,
      needsChangeRows: d.needsChange.reduce((n, g) => n + g.count, 0),
    },
  };
}
