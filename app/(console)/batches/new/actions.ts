'use server';

import { requireProfile, roleAction } from '@/lib/auth/action';
import { getJobProgress } from '@/lib/batch/job-queries';
import { sendManualBatch, type ManualBatchResult } from '@/lib/batch/manual';
import type { ActionResult } from '@/lib/schemas/action-result';
import { jobControlSchema, manualBatchInputSchema } from '@/lib/schemas/batch';

export type { StartBatchResult, StartProblem } from '@/lib/batch/start-batch';

export type ResultsJob = {
  id: string;
  name: string;
  status: string;
  failed: number;
  totalRows: number;
} | null;

/** Whether a results CSV's idempotency keys name a job this console holds. */
export const findResultsJobAction = roleAction(
  'sender',
  jobControlSchema,
  async ({ jobId }): Promise<ActionResult<ResultsJob>> => {
    const progress = await getJobProgress(jobId);
    if (!progress) return { ok: true, data: null };
    const { job, rows } = progress;
    return {
      ok: true,
      data: { id: job.id, name: job.name, status: job.status, failed: rows.failed, totalRows: job.totalRows },
    };
  },
);

/** Up to 100 messages in ONE request, under the idempotency key the page shows. */
export const sendManualBatchAction = roleAction(
  'sender',
  manualBatchInputSchema,
  ({ profile, idempotencyKey, messages }, { user }): Promise<ManualBatchResult> =>
    sendManualBatch({
      profile: requireProfile(profile),
      user: { id: user.id, email: user.email },
      messages,
      idempotencyKey,
    }),
);
