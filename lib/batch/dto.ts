import 'server-only';
import type { DeliveryStatus } from '@/lib/delivery-status/status';
import type {
  ChunkCounts,
  ErrorCodeCount,
  JobCounts,
  JobStatus,
  NeedsChangeGroup,
  RowStatus,
} from '@/lib/batch/job-types';

// JSON shapes of the job page's route handlers (dates as ISO strings).

/** Everything the job page shows that changes while the job runs, as JSON (the progress route polls it). */
export type JobSnapshot = {
  job: {
    id: string;
    name: string;
    status: JobStatus;
    keyProfile: string;
    createdByEmail: string | null;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
    totalRows: number;
    currentTry: number;
    columns: string[];
  };
  rows: JobCounts;
  chunks: ChunkCounts;
  ratePerSecond: number;
  etaSeconds: number | null;
  errorCodes: ErrorCodeCount[];
  /** Failed rows a re-send cannot fix, by code (a few rows listed per code). */
  needsChange: NeedsChangeGroup[];
  /** Failed rows "Retry failed rows" would send again. */
  retryable: number;
};

export type JobRowDto = {
  rowNo: number;
  csvLine: number;
  toEmail: string;
  status: RowStatus;
  messageId: string | null;
  errorCode: string | null;
  errorTitle: string | null;
  errorMeaning: string | null;
  errorMessage: string | null;
  errorFields: { field: string; code: string; message: string }[] | null;
  requestId: string | null;
  idempotencyKey: string | null;
  try: number;
  /** What the message's delivery events say; null: no event (yet), or not queued. */
  delivery: { status: DeliveryStatus; detail: string; at: string } | null;
};

export type JobRowsPage = { rows: JobRowDto[]; nextCursor: number | null; total?: number };
