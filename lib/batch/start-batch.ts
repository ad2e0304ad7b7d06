import 'server-only';
import { createJob } from '@/lib/batch/create-job';
import { MAX_JOB_ROWS, type JobActor } from '@/lib/batch/job-types';
import { decodeCsvBytes, parseCsv } from '@/lib/mail-merge/csv';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';
import type { BatchSpec } from '@/lib/mail-merge/mapping';
import { formatRowProblem, preflight, sendableRows } from '@/lib/mail-merge/preflight';
import type { ActionResult } from '@/lib/schemas/action-result';

export type StartProblem = { line?: number; message: string };
export type StartBatchResult = ActionResult<{ jobId: string; rows: number }, { problems: StartProblem[] }>;

const PROBLEMS_SHOWN = 50;

/**
 * Starts a CSV mail merge from the uploaded FILE, never from rows the browser merged: parses,
 * merges and validates every row again, and stores only what it found valid.
 */
export async function startBatchFromCsv(input: {
  name: string;
  profile: string;
  delimiter: CsvDelimiter;
  excludedLines: number[];
  spec: BatchSpec;
  bytes: Uint8Array;
  user: JobActor;
}): Promise<StartBatchResult> {
  const decoded = decodeCsvBytes(input.bytes);
  const parsed = parseCsv(decoded.text, { delimiter: input.delimiter });
  const spec = { ...input.spec, excludedLines: input.excludedLines };
  // The fast path accepts only rows messageSchema accepts (lib/mail-merge/preflight-guard.test.ts)
  // and hands the rest to messageSchema itself; running the schema on all 100,000 rows would hold
  // the event loop — and every other user — for seconds.
  const result = preflight(parsed, spec, { validation: 'fast', profile: input.profile });
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
  const rows = sendableRows(parsed, spec, result);
  const { jobId } = await createJob({
    name: input.name,
    profile: input.profile,
    user: input.user,
    columns: parsed.columns,
    rows,
    spec,
  });
  return { ok: true, data: { jobId, rows: rows.length } };
}
