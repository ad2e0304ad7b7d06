import { RotateCw } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { cn } from '@/lib/cn';
import { outcomeOf } from '@/lib/format/request-log';

type Row = {
  status: number | null;
  ok: boolean | null;
  errorCode: string | null;
  nextRetryAt: string | null;
};

/** HTTP status and error code in one badge; a failure the client repeated reads "retried". */
export function StatusBadge({ row, className }: { row: Row; className?: string }) {
  const outcome = outcomeOf(row);
  if (outcome === 'pending') {
    return (
      <Badge variant="muted" className={className}>
        no response
      </Badge>
    );
  }
  // No HTTP status means no answer arrived (network error, timeout): the code says which.
  const text =
    [row.status === null ? null : String(row.status), row.errorCode].filter(Boolean).join(' ') || 'no answer';
  const variant = outcome === 'ok' ? 'success' : outcome === 'retried' ? 'warning' : 'destructive';
  return (
    // The warning tint under warning text is below 4.5:1 contrast, so a retried badge is outlined instead.
    <Badge
      variant={variant}
      className={cn(outcome === 'retried' && 'border-warning/50 bg-card', className)}
      title={
        outcome === 'retried' ? 'Failed; the console retried it under the same Idempotency-Key' : undefined
      }
    >
      <span className="font-mono">{text}</span>
      {outcome === 'retried' ? (
        <>
          <RotateCw className="size-3" aria-hidden />
          <span className="sr-only">(retried)</span>
        </>
      ) : null}
    </Badge>
  );
}
