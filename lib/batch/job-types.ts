import 'server-only';
import type { DeliveryOutcome } from '@/lib/delivery-status/status';
import type { tables } from '@/lib/db';
import type { SendmuxFieldError } from '@/lib/sendmux/types';
import type { EmailSendRequest } from '@/lib/sendmux/wire';

// The shapes of batch jobs as lib/batch hands them out. Pages import these as types only.

export { MAX_JOB_ROWS } from '@/lib/schemas/batch-values';

export type JobStatus = (typeof tables.batchJobs.status.enumValues)[number];
export type RowStatus = (typeof tables.batchRows.status.enumValues)[number];
export type JobActor = { id: string; email: string };

export type NewJobRow = {
  csvLine: number;
  input: Record<string, string>;
  /** The merged message in wire format, exactly as it will be sent. */
  message: EmailSendRequest;
};

export type CreateJobInput = {
  name: string;
  profile: string;
  user: JobActor | null;
  columns: string[];
  rows: readonly NewJobRow[];
  spec: Record<string, unknown>;
};

export type JobSummary = {
  id: string;
  name: string;
  status: JobStatus;
  keyProfile: string;
  createdBy: string | null;
  createdByEmail: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  totalRows: number;
  currentTry: number;
};

export type JobCounts = {
  total: number;
  queued: number;
  failed: number;
  pending: number;
  sending: number;
  cancelled: number;
};
export type ChunkCounts = {
  total: number;
  pending: number;
  sending: number;
  done: number;
  failed: number;
  cancelled: number;
  retrying: number;
};

export type JobProgress = {
  job: JobSummary & { columns: string[]; spec: Record<string, unknown> };
  rows: JobCounts;
  chunks: ChunkCounts;
  /** Rows finished (queued or failed) per second over the last ~10 s. */
  ratePerSecond: number;
  /** Seconds until the pending rows are done at that rate; null when nothing moves or nothing is left. */
  etaSeconds: number | null;
};

export type JobRow = {
  rowNo: number;
  csvLine: number;
  toEmail: string;
  status: RowStatus;
  messageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  errorFields: SendmuxFieldError[] | null;
  requestId: string | null;
  idempotencyKey: string | null;
  chunkNo: number | null;
  try: number;
  updatedAt: Date;
};

export type ExportRow = JobRow & { input: Record<string, string> };

export type ControlResult<T = JobSummary> =
  { ok: true; data: T } | { ok: false; error: { code: 'not_found' | 'invalid_state'; message: string } };

export type JobListItem = JobSummary & { rows: JobCounts };

export type RowFilter = { status?: RowStatus; errorCode?: string; q?: string; delivery?: DeliveryOutcome };

export type ErrorCodeCount = { code: string; count: number; title: string; needsChange: boolean };

export type NeedsChangeGroup = {
  code: string;
  title: string;
  /** What to change before these rows can be sent (the catalog's action text). */
  action: string;
  count: number;
  rows: Pick<JobRow, 'rowNo' | 'csvLine' | 'toEmail' | 'errorMessage' | 'errorFields'>[];
};

export type RetryFailedResult = {
  /** The try the new chunks were created under (unchanged when nothing was re-chunked). */
  try: number;
  /** Rows put into new chunks with keys …:try:<try>. */
  retriedRows: number;
  chunks: number;
  /** Chunks that failed without an answer (timeout, dropped connection), re-opened under their SAME key. */
  reopenedChunks: number;
  reopenedRows: number;
  /** Failed rows left alone: a re-send fails the same way until something is changed. */
  needsChange: NeedsChangeGroup[];
};
