'use server';

import { revalidatePath } from 'next/cache';
import { requireRole } from '@/lib/auth/require-role';
import { decodeCsvBytes, parseCsv } from '@/lib/mail-merge/csv';
import { createJob } from '@/lib/batch/create-job';
import { getJobProgress } from '@/lib/batch/job-queries';
import { MAX_JOB_ROWS } from '@/lib/batch/job-types';
import { sendManualBatch, type ManualItemResult } from '@/lib/batch/manual';
import { checkManualMessages } from '@/lib/mail-merge/manual-input';
import { batchSpecSchema } from '@/lib/mail-merge/mapping';
import { formatRowProblem, preflight, sendableRows } from '@/lib/mail-merge/preflight';
import {
  fieldErrorsOf,
  invalidInput,
  type ActionError,
  type ActionResult,
  type FieldErrors,
} from '@/lib/schemas/action-result';
import { jobControlSchema, manualBatchInputSchema, startBatchFieldsSchema } from '@/lib/schemas/batch';
import { hasProfile } from '@/lib/sendmux/profiles';

export type StartProblem = { line?: number; message: string };
export type StartBatchResult =
  | { ok: true; data: { jobId: string; rows: number } }
  | { ok: false; error: ActionError; fieldErrors?: FieldErrors; problems?: StartProblem[] };

const unknownProfile = (profile: string) => ({
  ok: false as const,
  error: { code: 'unknown_profile', message: `There is no key profile named “${profile}”` },
  fieldErrors: { profile: ['Choose a configured key profile'] },
});

function jsonField(form: FormData, name: string): unknown {
  const raw = form.get(name);
  if (typeof raw !== 'string') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

const PROBLEMS_SHOWN = 50;

/**
 * Starts a CSV mail merge from the uploaded FILE, never from rows the browser merged: the server
 * parses, merges and validates every row again, and stores only what it found valid.
 */
export async function startBatchAction(form: FormData): Promise<StartBatchResult> {
  const user = await requireRole('sender');
  const fields = startBatchFieldsSchema.safeParse({
    name: form.get('name'),
    profile: form.get('profile'),
    delimiter: form.get('delimiter'),
    excludedLines: jsonField(form, 'excludedLines'),
    file: form.get('file'),
  });
  if (!fields.success) return invalidInput(fields.error);
  const spec = batchSpecSchema.safeParse(jsonField(form, 'spec'));
  if (!spec.success) {
    const fieldErrors = Object.fromEntries(
      Object.entries(fieldErrorsOf(spec.error)).map(([k, v]) => [`spec.${k}`, v]),
    );
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'The mapping could not be read; reload the page and map the columns again.',
      },
      fieldErrors,
    };
  }
  const { name, profile, delimiter, excludedLines, file } = fields.data;
  if (!hasProfile(profile)) return unknownProfile(profile);

  const decoded = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
  const parsed = parseCsv(decoded.text, { delimiter });
  const finalSpec = { ...spec.data, excludedLines };
  // Every row is validated again here. The fast path accepts only rows messageSchema accepts
  // (lib/batch/preflight-guard.test.ts) and hands the rest to messageSchema itself; running the
  // schema on all 100,000 rows would hold the event loop — and every other user — for seconds.
  const result = preflight(parsed, finalSpec, { validation: 'fast', profile });
  if (!result.ready) {
    const problems: StartProblem[] = result.problems
      .filter((p) => p.severity === 'error')
      .map((p) => ({ message: p.message }));
    for (const row of result.rows) {
      if (problems.length >= PROBLEMS_SHOWN) break;
      for (const p of row.errors) problems.push({ line: row.line, message: formatRowProblem(p) });
    }
    const invalid = result.plan.invalid;
    return {
      ok: false,
      error: {
        code: 'preflight_failed',
        message: invalid
          ? `The server's check found ${invalid.toLocaleString('en-US')} ${invalid === 1 ? 'row' : 'rows'} that cannot be sent; exclude or fix ${invalid === 1 ? 'it' : 'them'}, then send again.`
          : 'The server’s check found problems to fix first; nothing was sent.',
      },
      problems,
    };
  }
  if (result.plan.messages > MAX_JOB_ROWS) {
    return {
      ok: false,
      error: {
        code: 'too_many_rows',
        message: `A batch job holds at most ${MAX_JOB_ROWS.toLocaleString('en-US')} rows; split the file.`,
      },
    };
  }
  const rows = sendableRows(parsed, finalSpec, result);
  const { jobId } = await createJob({
    name,
    profile,
    user: { id: user.id, email: user.email },
    columns: parsed.columns,
    rows,
    spec: finalSpec,
  });
  revalidatePath('/batches');
  return { ok: true, data: { jobId, rows: rows.length } };
}

export type ResultsJob = {
  id: string;
  name: string;
  status: string;
  failed: number;
  totalRows: number;
} | null;

/** Whether a results CSV's idempotency keys name a job this console holds. */
export async function findResultsJobAction(input: unknown): Promise<ActionResult<ResultsJob>> {
  await requireRole('sender');
  const parsed = jobControlSchema.safeParse(input);
  if (!parsed.success) return { ok: true, data: null };
  const progress = await getJobProgress(parsed.data.jobId);
  if (!progress) return { ok: true, data: null };
  const { job, rows } = progress;
  return {
    ok: true,
    data: { id: job.id, name: job.name, status: job.status, failed: rows.failed, totalRows: job.totalRows },
  };
}

export type ManualBatchResponse =
  | {
      ok: true;
      data: {
        requestId: string | null;
        logId: number;
        results: ManualItemResult[];
        summary: { total: number; queued: number; failed: number };
      };
    }
  | {
      ok: false;
      error: ActionError & { title?: string; action?: string; retryable?: boolean };
      fieldErrors?: FieldErrors;
      results?: ManualItemResult[];
    };

/** Up to 100 messages in ONE request, under the idempotency key the page shows. */
export async function sendManualBatchAction(input: unknown): Promise<ManualBatchResponse> {
  const user = await requireRole('sender');
  const parsed = manualBatchInputSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { profile, idempotencyKey } = parsed.data;
  if (!hasProfile(profile)) return unknownProfile(profile);
  const checked = checkManualMessages(parsed.data.messages);
  if (!checked.ok) {
    const fieldErrors: FieldErrors = {};
    for (const p of checked.problems)
      (fieldErrors[
        [p.index === null ? 'messages' : `messages.${p.index}`, p.field].filter(Boolean).join('.')
      ] ??= []).push(p.message);
    const n = new Set(checked.problems.map((p) => p.index)).size;
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `${n === 1 ? 'One message needs' : `${n} messages need`} fixing; nothing was sent.`,
      },
      fieldErrors,
    };
  }
  const result = await sendManualBatch({
    profile,
    user: { id: user.id, email: user.email },
    messages: checked.messages,
    idempotencyKey,
  });
  if (result.ok)
    return {
      ok: true,
      data: {
        requestId: result.requestId,
        logId: result.logId,
        results: result.results,
        summary: result.summary,
      },
    };
  return {
    ok: false,
    error: { ...result.error, requestId: result.requestId ?? undefined, logId: result.logId },
    results: result.results,
  };
}
