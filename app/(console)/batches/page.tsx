import { Layers, Plus } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/require-role';
import { hasRole } from '@/lib/schemas/roles';
import { listJobs } from '@/lib/batch/job-queries';
import { JobCountsLine, JobProgressBar, JobStatusBadge } from './job-display';
import { RefreshWhileRunning } from './refresh-while-running';
import { formatCount, formatUtc } from '@/lib/format/display';

export const metadata: Metadata = { title: 'Batches' };

export default async function BatchesPage() {
  const user = await requireRole('support');
  const jobs = await listJobs({ limit: 100 });
  const canSend = hasRole(user.role, 'sender');
  const running = jobs.some((j) => j.status === 'running');

  return (
    <>
      <PageHeader
        title="Batches"
        description="CSV mail merges and their per-row results, newest first. Jobs run on the server: closing the tab changes nothing."
        actions={
          canSend ? (
            <Button asChild>
              <Link href="/batches/new">
                <Plus aria-hidden /> New batch
              </Link>
            </Button>
          ) : null
        }
      />
      <RefreshWhileRunning active={running} />
      {jobs.length === 0 ? (
        <Card>
          <CardContent className="flex gap-4 pt-5">
            <Layers className="text-muted-foreground mt-0.5 size-5 shrink-0" aria-hidden />
            <div className="grid gap-2 text-sm">
              <p className="font-medium">No batch jobs yet.</p>
              <p className="text-muted-foreground">
                A batch sends one personalised message per CSV row, in requests of up to 100, and keeps every
                row’s outcome.
                {canSend ? (
                  <>
                    {' '}
                    <Link className="text-foreground underline underline-offset-2" href="/batches/new">
                      Upload a CSV
                    </Link>{' '}
                    to start one.
                  </>
                ) : null}
              </p>
            </div>
          </CardContent>
        </Card>
      ) : (
        <Card>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Job</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="w-[32%]">Progress</TableHead>
                <TableHead>Created (UTC)</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {jobs.map((job) => {
                const done = job.rows.queued + job.rows.failed + job.rows.cancelled;
                return (
                  <TableRow key={job.id}>
                    <TableCell className="max-w-72">
                      <Link
                        href={`/batches/${job.id}`}
                        className="text-primary block truncate font-medium underline-offset-2 hover:underline"
                        title={job.name}
                      >
                        {job.name}
                      </Link>
                      <span className="text-muted-foreground block font-mono text-xs">
                        {job.id} · {formatCount(job.totalRows)} rows · {job.keyProfile}
                      </span>
                    </TableCell>
                    <TableCell>
                      <JobStatusBadge status={job.status} />
                    </TableCell>
                    <TableCell>
                      <div className="grid gap-1.5">
                        <JobProgressBar
                          counts={job.rows}
                          label={`${job.name}: ${formatCount(done)} of ${formatCount(job.totalRows)} rows finished`}
                        />
                        <JobCountsLine counts={job.rows} />
                      </div>
                    </TableCell>
                    <TableCell className="text-xs leading-tight whitespace-nowrap">
                      <span className="block tabular-nums">{formatUtc(job.createdAt.toISOString())}</span>
                      <span
                        className="text-muted-foreground block max-w-48 truncate"
                        title={job.createdByEmail ?? undefined}
                      >
                        {job.createdByEmail ?? '—'}
                      </span>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Card>
      )}
    </>
  );
}
