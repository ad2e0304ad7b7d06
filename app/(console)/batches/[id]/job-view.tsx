'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, Download } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import type { JobRowsSearch } from '@/lib/schemas/batch';
import { JobProgressBar, JobStatusBadge } from '../job-display';
import type { JobSnapshot } from '@/lib/batch/dto';
import { JobControls, RetryFailedCard } from './job-controls';
import { NeedsChange } from './needs-change';
import { hrefWith } from './rows-filters';
import { DeliveryCounts } from './delivery-counts';
import { JobRowsTable } from './rows-table';
import { formatCount, formatEta, formatRate, formatUtc } from '@/lib/format/display';

export const snapshotKey = (jobId: string) => ['batch-job', jobId] as const;

async function fetchSnapshot(jobId: string): Promise<JobSnapshot> {
  const res = await fetch(`/api/batches/${jobId}/progress`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`The console answered ${res.status}`);
  return (await res.json()) as JobSnapshot;
}

export function JobView({
  initial,
  canControl,
  filters: initialFilters,
}: {
  initial: JobSnapshot;
  canControl: boolean;
  filters: JobRowsSearch;
}) {
  const jobId = initial.job.id;
  const queryClient = useQueryClient();
  const { data: snapshot = initial, isError } = useQuery({
    queryKey: snapshotKey(jobId),
    queryFn: () => fetchSnapshot(jobId),
    initialData: initial,
    // Live while rows are moving; a paused job still finishes the chunks it had in flight.
    refetchInterval: (q) => {
      const s = q.state.data;
      if (!s) return 1000;
      if (s.job.status === 'running') return 1000;
      if (s.job.status === 'paused' && s.rows.sending > 0) return 2000;
      return false;
    },
  });
  const { job, rows } = snapshot;
  const [filters, setFilters] = useState<JobRowsSearch>(initialFilters);

  // The URL holds the table's filters, so a link to "failed rows of this job" can be shared.
  useEffect(() => {
    window.history.replaceState(null, '', hrefWith(filters));
  }, [filters]);

  // Whatever moved, the rows on screen follow. A page still loading is left to finish: cancelling
  // it on every poll would starve the table while the server is busy sending.
  const version = `${job.status}:${job.currentTry}:${rows.queued}:${rows.failed}:${rows.pending}:${rows.sending}:${rows.cancelled}`;
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: ['batch-rows', jobId] }, { cancelRefetch: false });
  }, [version, jobId, queryClient]);

  const finished = rows.queued + rows.failed + rows.cancelled;
  const pending = rows.pending + rows.sending;
  const percent = rows.total ? Math.floor((finished / rows.total) * 100) : 0;

  return (
    <>
      <div className="mb-2">
        <Link
          href="/batches"
          className="text-muted-foreground hover:text-foreground inline-flex items-center gap-1 text-sm"
        >
          <ArrowLeft className="size-3.5" aria-hidden /> Batches
        </Link>
      </div>
      <PageHeader
        title={job.name}
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <JobStatusBadge status={job.status} />
            <span className="font-mono text-xs">{job.id}</span>
            <span>{formatCount(job.totalRows)} rows</span>
            <span>key profile {job.keyProfile}</span>
            <span>
              started {formatUtc(job.createdAt)} by {job.createdByEmail ?? 'unknown'}
            </span>
            {job.currentTry > 1 ? <span>try {job.currentTry}</span> : null}
          </span>
        }
        actions={
          <>
            <Button asChild variant="outline">
              <a href={`/api/batches/${jobId}/results.csv`} download>
                <Download aria-hidden /> Download results CSV
              </a>
            </Button>
            {canControl ? <JobControls snapshot={snapshot} /> : null}
          </>
        }
      />

      <Card className="mb-6" aria-labelledby="progress-heading">
        <CardContent className="grid gap-4 pt-5">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="progress-heading" className="text-base font-semibold">
              Progress
            </h2>
            <p className="text-muted-foreground text-sm tabular-nums" aria-live="polite">
              {formatCount(finished)} of {formatCount(rows.total)} rows finished ({percent}%)
            </p>
          </div>
          <JobProgressBar
            counts={rows}
            label={`${formatCount(finished)} of ${formatCount(rows.total)} rows finished`}
            className="h-3"
          />
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3 lg:grid-cols-6">
            <Stat label="Queued" value={formatCount(rows.queued)} tone="text-success" />
            <Stat
              label="Failed"
              value={formatCount(rows.failed)}
              tone={rows.failed ? 'text-destructive' : undefined}
            />
            <Stat label="Pending" value={formatCount(pending)} />
            <Stat label="Cancelled" value={formatCount(rows.cancelled)} />
            <Stat label="Rate" value={job.status === 'running' ? formatRate(snapshot.ratePerSecond) : '—'} />
            <Stat
              label="Time left"
              value={
                job.status === 'running'
                  ? formatEta(snapshot.etaSeconds)
                  : job.status === 'paused'
                    ? 'paused'
                    : '—'
              }
            />
          </dl>
          <p className="text-muted-foreground text-xs">
            {formatCount(snapshot.chunks.done + snapshot.chunks.failed)} of{' '}
            {formatCount(snapshot.chunks.total)} requests of ≤ 100 messages answered
            {snapshot.chunks.retrying
              ? ` · ${formatCount(snapshot.chunks.retrying)} waiting to retry under the same key`
              : ''}
            {job.finishedAt ? ` · finished ${formatUtc(job.finishedAt)}` : ''}
            {isError ? ' · progress could not be refreshed; retrying' : ''}
          </p>
        </CardContent>
      </Card>

      {rows.queued > 0 ? (
        <DeliveryCounts
          jobId={jobId}
          queued={rows.queued}
          onShow={(delivery) => {
            setFilters(() => ({ delivery }));
            document.getElementById('rows-heading')?.scrollIntoView({ block: 'start' });
          }}
        />
      ) : null}

      {canControl && job.status !== 'cancelled' && rows.failed > 0 ? (
        <RetryFailedCard snapshot={snapshot} />
      ) : null}
      {snapshot.needsChange.length ? (
        <NeedsChange
          groups={snapshot.needsChange}
          onShow={(code) => {
            setFilters((f) => ({ q: f.q, status: 'failed', code }));
            document.getElementById('rows-heading')?.scrollIntoView({ block: 'start' });
          }}
        />
      ) : null}

      <JobRowsTable
        jobId={jobId}
        totalRows={job.totalRows}
        errorCodes={snapshot.errorCodes}
        filters={filters}
        canCompose={canControl}
        onFiltersChange={setFilters}
      />
    </>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className="grid gap-0.5">
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${tone ?? ''}`}>{value}</dd>
    </div>
  );
}
