'use server';

import { revalidatePath } from 'next/cache';
import { requireProfile, roleAction } from '@/lib/auth/action';
import { getJobProgress } from '@/lib/batch/job-queries';
import { sendManualBatch, type ManualBatchResult } from '@/lib/batch/manual';
import { startBatchFromCsv, type StartBatchResult } from '@/lib/batch/start-batch';
import type { ActionResult } from '@/lib/schemas/action-result';
import { jobControlSchema, manualBatchInputSchema, startBatchInputSchema } from '@/lib/schemas/batch';
import { formDataInput } from '@/lib/schemas/form-data';

export type { StartProblem } from '@/lib/batch/start-batch';

export const startBatchAction = roleAction(
  'sender',
  formDataInput(startBatchInputSchema),
  async ({ file, profile, ...fields }, { user }): Promise<StartBatchResult> => {
    const result = await startBatchFromCsv({
      ...fields,
      profile: requireProfile(profile),
      bytes: new Uint8Array(await file.arrayBuffer()),
      user: { id: user.id, email: user.email },
    });
    if (result.ok) revalidatePath('/batches');
    return result;
  },
);

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
