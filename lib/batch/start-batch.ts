import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  abortJob,
  appendJobRows,
  DuplicateUploadError,
  finishJob,
  JobCancelledError,
  jobOfUpload,
  openJob,
  uploadStorePlan,
  type OpenJob,
} from '@/lib/batch/create-job';
import { MAX_JOB_ROWS, type JobActor } from '@/lib/batch/job-types';
import { chunkSettled, countSettledChunks } from '@/lib/batch/wake';
import { batchBlockedProfiles } from '@/lib/sendmux/budget';
import type { CsvProblem, CsvRow, ParsedCsv } from '@/lib/mail-merge/csv';
import { CsvStreamError, CsvStreamParser } from '@/lib/mail-merge/csv-stream';
import {
  formatRowProblem,
  preflight,
  requestTooLarge,
  RequestSizer,
  sendableRows,
  type SendableRow,
} from '@/lib/mail-merge/preflight';
import type { ActionResult } from '@/lib/schemas/action-result';
import type { StartBatchRequest } from '@/lib/schemas/batch';
import { MAX_CSV_BYTES } from '@/lib/schemas/batch-values';
import { MAX_BATCH, MESSAGE_LIMIT_BYTES } from '@/lib/schemas/limits';

export type StartProblem = { line?: number; message: string };
export type StartBatchResult = ActionResult<
  { jobId: string; rows: number },
  { problems: StartProblem[]; /** Set when sending had begun before the problem was found. */ jobId?: string }
>;

export type StartBatchOptions = {
  maxRows?: number;
  maxBytes?: number;
  /**
   * Rows are checked and held, not stored, until this many are ready or holdMs has passed: a file
   * that fits is checked whole before anything is sent; a bigger one starts sending while it is read.
   */
  holdRows?: number;
  holdMs?: number;
  /** Rows stored per transaction once the job is open (default: uploadStorePlan()). */
  batchRows?: number;
  /** How long the upload waits for its first chunk's outcome after the first batch (default: uploadStorePlan()). */
  firstChunkWaitMs?: number;
  /** Pause after each batch while the runner has a lead to send (default: uploadStorePlan()). */
  shareWithRunner?: boolean;
  /** How a pause is waited out (tests record them). */
  pause?: (ms: number) => Promise<void>;
  /** Called after each stored batch with the rows stored so far (benchmarks trace the upload). */
  onStored?: (stored: number) => void;
};

const PROBLEMS_SHOWN = 50;
/** Stored chunks not yet sent above which an upload sharing the database with its runner pauses. */
export const SHARE_LEAD_CHUNKS = 30;
const FIRST_BATCH_ROWS = 10 * MAX_BATCH;
// Rows parsed before they are merged and checked together: preflight has a fixed cost per call.
const CHECK_ROWS = 2_000;

export const fileTooLargeMessage = (maxBytes: number) =>
  `Files up to ${maxBytes / 1_000_000} MB are accepted; split a bigger file into parts`;

/** A problem that stops the upload: nothing more is stored. */
class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly problems: StartProblem[] = [],
  ) {
    super(message);
  }
}

/** The answer to an upload sent again: nothing new is started, and the first job is named. */
function duplicateUpload(job: { id: string; name: string }): StartBatchResult {
  return {
    ok: false,
    error: {
      code: 'duplicate_upload',
      message: `This file had already started the job “${job.name}”: it reached the console a second time (the browser or a proxy sent it again after the connection broke), and was not started twice. Open the job to see what was sent; if its upload broke off, it was stopped where it was.`,
    },
    problems: [],
    jobId: job.id,
  };
}

/**
 * Starts a CSV mail merge from the uploaded FILE as it arrives, never from rows the browser merged:
 * parses, merges and validates every row again, stores only what it found valid, in batches, and
 * lets the runner send the first chunks while the rest is read. Memory stays bounded by a batch
 * (and the held rows), whatever the file's size.
 */
export async function startBatchFromStream(
  input: StartBatchRequest & { user: JobActor },
  body: AsyncIterable<Uint8Array>,
  options: StartBatchOptions = {},
): Promise<StartBatchResult> {
  const maxBytes = options.maxBytes ?? MAX_CSV_BYTES;
  const holdRows = options.holdRows ?? 20_000;
  const holdMs = options.holdMs ?? 500;
  const plan = await uploadStorePlan();
  const firstChunkWaitMs = options.firstChunkWaitMs ?? plan.firstChunkWaitMs;
  const shareWithRunner = options.shareWithRunner ?? plan.shareWithRunner;
  const pause = options.pause ?? ((ms: number) => sleep(ms));
  // Assigned in store(): `as` keeps the type from narrowing to null here.
  let sent = null as ReturnType<typeof countSettledChunks> | null;
  const batchRows = Math.max(
    MAX_BATCH,
    Math.floor((options.batchRows ?? plan.batchRows) / MAX_BATCH) * MAX_BATCH,
  );
  const { spec, profile, user } = input;
  const parser = new CsvStreamParser(input.delimiter, { maxRows: options.maxRows ?? MAX_JOB_ROWS });
  const decoder = new TextDecoder(input.encoding, { fatal: input.encoding === 'utf-8' });
  const started = performance.now();
  const sizer = new RequestSizer();
  const problems: StartProblem[] = [];
  let invalid = 0;
  let valid = 0;
  let specChecked = false;
  let toCheck: { rows: CsvRow[]; problems: CsvProblem[] } = { rows: [], problems: [] };
  let held: SendableRow[] = [];
  let job: OpenJob | null = null;

  const store = async (final: boolean) => {
    if (invalid > 0) return;
    if (!job) {
      if (!final && held.length < holdRows && performance.now() - started < holdMs) return;
      if (held.length === 0) return;
      job = await openJob({
        name: input.name,
        profile,
        user,
        columns: parser.columns ?? [],
        spec,
        uploadId: input.uploadId,
      });
      if (shareWithRunner) sent = countSettledChunks(job.jobId);
    }
    const open = job;
    for (;;) {
      // The first batch is small, so the first chunk can go out while the next ones are stored.
      const first = open.stored === 0;
      const size = first ? FIRST_BATCH_ROWS : batchRows;
      let n = Math.min(size, held.length);
      // Until the file ends only whole chunks are stored, and after the first batch only full batches.
      if (!final) n = first ? n - (n % MAX_BATCH) : n === size ? n : 0;
      if (n === 0) break;
      // Listening before the rows are stored: the runner may record the chunk before this resumes.
      const firstOut = first && firstChunkWaitMs > 0 ? chunkSettled(open.jobId, firstChunkWaitMs) : null;
      const storing = performance.now();
      await appendJobRows(open, held.slice(0, n));
      const storedMs = performance.now() - storing;
      held = held.slice(n);
      options.onStored?.(open.stored);
      // Only when more is to be stored: a file that fit in the first batch has nothing to hold back.
      if (firstOut && (held.length > 0 || !final)) await firstOut;
      // One connection and one thread: storing flat out would leave the runner a tenth of the
      // database while it has chunks to send and the key room for them (bench/batch-throughput.ts
      // --server: 11 requests a second instead of 30 while a million rows were stored).
      if (
        sent &&
        !first &&
        open.chunks - sent.settled() >= SHARE_LEAD_CHUNKS &&
        !batchBlockedProfiles().profiles.includes(profile)
      )
        await pause(storedMs);
    }
  };

  const check = async (final: boolean) => {
    if (toCheck.rows.length === 0) return store(final);
    const parsed: ParsedCsv = {
      columns: parser.columns ?? [],
      rows: toCheck.rows,
      delimiter: input.delimiter,
      delimiterDetected: false,
      problems: toCheck.problems,
    };
    toCheck = { rows: [], problems: [] };
    // The fast path accepts only rows messageSchema accepts (lib/mail-merge/preflight-guard.test.ts)
    // and hands the rest to messageSchema itself.
    const result = preflight(parsed, spec, { validation: 'fast', profile });
    if (!specChecked) {
      specChecked = true;
      const fatal = result.problems.filter(
        (p) => p.severity === 'error' && p.kind !== 'nothing_to_send' && p.kind !== 'request_too_large',
      );
      if (fatal.length)
        throw new Refusal(
          'preflight_failed',
          'The server’s check found problems to fix first; nothing was sent.',
          fatal.map((p) => ({ message: p.message })),
        );
    }
    for (const row of result.rows) {
      if (row.status === 'invalid') {
        invalid++;
        for (const p of row.errors)
          if (problems.length < PROBLEMS_SHOWN)
            problems.push({ line: row.line, message: formatRowProblem(p) });
      } else if (row.status === 'valid') {
        valid++;
        sizer.add(row.wireBytes);
      }
    }
    if (sizer.largestRequestBytes > MESSAGE_LIMIT_BYTES) {
      const p = requestTooLarge(sizer.largestRequestBytes);
      throw new Refusal(
        'preflight_failed',
        'The server’s check found problems to fix first; nothing was sent.',
        [{ message: p.message }],
      );
    }
    // Once a row is invalid nothing more is stored, but the rest is still checked to count them all.
    if (invalid === 0) held.push(...sendableRows(parsed, spec, result));
    await store(final);
  };

  const feed = async (text: string, final: boolean) => {
    const piece = parser.push(text, final);
    for (const row of piece.rows) toCheck.rows.push(row);
    for (const p of piece.problems) toCheck.problems.push(p);
    if (final || toCheck.rows.length >= CHECK_ROWS) {
      await check(final);
      // A body already buffered, or a generated one, arrives in microtasks: without a turn of the
      // event loop here, the runner's requests (and every other user) would wait for the whole file.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  try {
    // Sent again (a browser resends a POST whose reused connection broke, a proxy may retry): the
    // job it started is the only one. A resend racing the first past this check meets the unique
    // upload_id in openJob instead.
    const earlier = input.uploadId ? await jobOfUpload(input.uploadId) : null;
    if (earlier) throw new DuplicateUploadError(earlier);
    let bytes = 0;
    try {
      for await (const chunk of body) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) throw new Refusal('payload_too_large', fileTooLargeMessage(maxBytes));
        await feed(decoder.decode(chunk, { stream: true }), false);
      }
      await feed(decoder.decode(), true);
    } catch (err) {
      if (err instanceof TypeError && /encod|decod/i.test(err.message))
        throw new Refusal(
          'encoding',
          'The file is no longer what the browser read (it is not valid UTF-8): choose it again on the Upload step.',
        );
      throw err;
    }
    if (invalid > 0) {
      throw new Refusal(
        'preflight_failed',
        `The server's check found ${invalid.toLocaleString('en-US')} ${invalid === 1 ? 'row' : 'rows'} that cannot be sent; exclude or fix ${invalid === 1 ? 'it' : 'them'}, then send again.`,
        problems,
      );
    }
    if (valid === 0)
      throw new Refusal(
        'preflight_failed',
        'The server’s check found problems to fix first; nothing was sent.',
        [{ message: 'No row is ready to send' }],
      );
    const done = job as OpenJob | null;
    if (!done) throw new Error('Every row was checked but no job was opened');
    await finishJob(done, user, profile);
    return { ok: true, data: { jobId: done.jobId, rows: done.stored } };
  } catch (err) {
    if (err instanceof DuplicateUploadError) return duplicateUpload(err.job);
    const refusal =
      err instanceof Refusal
        ? err
        : err instanceof CsvStreamError
          ? new Refusal(
              err.problem.kind === 'too_many_rows' ? 'too_many_rows' : 'preflight_failed',
              err.problem.kind === 'too_many_rows'
                ? err.problem.message
                : 'The server’s check found problems to fix first; nothing was sent.',
              err.problem.kind === 'too_many_rows'
                ? []
                : [{ line: err.problem.line, message: err.problem.message }],
            )
          : err instanceof JobCancelledError
            ? new Refusal(
                'cancelled',
                'The job was cancelled while its file was being read; the rest was not stored.',
              )
            : null;
    const opened = job as OpenJob | null;
    if (opened && !(err instanceof JobCancelledError))
      await abortJob(opened, user, refusal?.message ?? 'The upload broke off');
    if (!refusal) throw err;
    const reason = refusal.message.replace(/[;,]? ?nothing was sent\.$/, '');
    const message = opened
      ? `${reason}${/[.!?]$/.test(reason) ? '' : '.'} The job had started sending while the file was read: it was stopped after ${opened.stored.toLocaleString('en-US')} stored rows, and what Sendmux already accepted stays sent.`
      : refusal.message;
    return {
      ok: false,
      error: { code: refusal.code, message },
      problems: refusal.problems,
      ...(opened ? { jobId: opened.jobId } : {}),
    };
  } finally {
    sent?.stop();
  }
}
