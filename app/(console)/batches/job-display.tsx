import { Badge } from '@/components/ui/badge';
import { Progress } from '@/components/ui/progress';
import { WarnBadge } from '@/components/warn-badge';
import type { JobCounts, JobStatus } from '@/lib/batch/job-types';
import { formatCount } from '@/lib/format/display';

// Shared by the jobs list and the job page: the status badge, the stacked bar and its legend.

const STATUS: Record<JobStatus, { label: string; variant: 'default' | 'success' | 'muted' | null }> = {
  running: { label: 'Running', variant: 'default' },
  paused: { label: 'Paused', variant: null },
  cancelled: { label: 'Cancelled', variant: 'muted' },
  done: { label: 'Done', variant: 'success' },
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  const s = STATUS[status];
  return s.variant ? <Badge variant={s.variant}>{s.label}</Badge> : <WarnBadge>{s.label}</WarnBadge>;
}

export function JobProgressBar({
  counts,
  label,
  className,
}: {
  counts: JobCounts;
  label: string;
  className?: string;
}) {
  const total = Math.max(1, counts.total);
  return (
    <Progress
      label={label}
      className={className}
      segments={[
        { name: 'Queued', value: counts.queued / total, className: 'bg-success' },
        { name: 'Failed', value: counts.failed / total, className: 'bg-destructive' },
        { name: 'Cancelled', value: counts.cancelled / total, className: 'bg-muted-foreground/40' },
      ]}
    />
  );
}

export function JobCountsLine({ counts }: { counts: JobCounts }) {
  const pending = counts.pending + counts.sending;
  return (
    <span className="text-muted-foreground flex flex-wrap gap-x-3 gap-y-0.5 text-xs tabular-nums">
      <span>
        <span className="text-success font-medium">{formatCount(counts.queued)}</span> queued
      </span>
      <span>
        <span className={counts.failed ? 'text-destructive font-medium' : 'text-foreground font-medium'}>
          {formatCount(counts.failed)}
        </span>{' '}
        failed
      </span>
      <span>
        <span className="text-foreground font-medium">{formatCount(pending)}</span> pending
      </span>
      {counts.cancelled ? (
        <span>
          <span className="text-foreground font-medium">{formatCount(counts.cancelled)}</span> cancelled
        </span>
      ) : null}
    </span>
  );
}
