'use server';

import { roleAction } from '@/lib/auth/action';
import type { SessionUser } from '@/lib/auth/session';
import { cancelJob, pauseJob, resumeJob, retryFailedRows } from '@/lib/batch/job-controls';
import type { ControlResult, JobActor, JobStatus } from '@/lib/batch/job-types';
import type { ActionResult } from '@/lib/schemas/action-result';
import { jobControlSchema } from '@/lib/schemas/batch';

type StatusResult = ActionResult<{ status: JobStatus }>;

const actor = (user: SessionUser): JobActor => ({ id: user.id, email: user.email });
const control = (run: (jobId: string, actor: JobActor) => Promise<ControlResult>) =>
  roleAction('sender', jobControlSchema, async ({ jobId }, { user }): Promise<StatusResult> => {
    const result = await run(jobId, actor(user));
    return result.ok ? { ok: true, data: { status: result.data.status } } : result;
  });

export const pauseJobAction = control(pauseJob);
export const resumeJobAction = control(resumeJob);
export const cancelJobAction = control(cancelJob);

export type RetryFailedSummary = {
  try: number;
  retriedRows: number;
  reopenedRows: number;
  needsChangeRows: number;
};

export const retryFailedRowsAction = roleAction(
  'sender',
  jobControlSchema,
  async ({ jobId }, { user }): Promise<ActionResult<RetryFailedSummary>> => {
    const result = await retryFailedRows(jobId, actor(user));
    if (!result.ok) return result;
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
  },
);
