import 'server-only';
import { failedRowsNeedingChange, getJobProgress, jobErrorCodes } from '@/lib/batch/job-queries';
import type { JobSnapshot } from '@/lib/batch/dto';

const ROWS_LISTED_PER_CODE = 5;

export async function loadJobSnapshot(jobId: string): Promise<JobSnapshot | null> {
  const progress = await getJobProgress(jobId);
  if (!progress) return null;
  const { job } = progress;
  const [errorCodes, needsChange] =
    progress.rows.failed > 0
      ? await Promise.all([jobErrorCodes(jobId), failedRowsNeedingChange(jobId, ROWS_LISTED_PER_CODE)])
      : [[], []];
  const blocked = needsChange.reduce((n, g) => n + g.count, 0);
  return {
    job: {
      id: job.id,
      name: job.name,
      status: job.status,
      keyProfile: job.keyProfile,
      createdByEmail: job.createdByEmail,
      createdAt: job.createdAt.toISOString(),
      startedAt: job.startedAt?.toISOString() ?? null,
      finishedAt: job.finishedAt?.toISOString() ?? null,
      totalRows: job.totalRows,
      currentTry: job.currentTry,
      columns: job.columns,
    },
    rows: progress.rows,
    chunks: progress.chunks,
    ratePerSecond: progress.ratePerSecond,
    etaSeconds: progress.etaSeconds,
    errorCodes,
    needsChange,
    retryable: Math.max(0, progress.rows.failed - blocked),
  };
}
