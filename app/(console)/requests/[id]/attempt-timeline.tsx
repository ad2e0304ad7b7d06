import { Hourglass } from 'lucide-react';
import Link from 'next/link';
import { cn } from '@/lib/cn';
import { outcomeOf } from '@/lib/format/request-log';
import type { AttemptSummary } from '@/lib/requests/search';
import { StatusBadge } from '../status-badge';
import { formatDuration, formatUtc } from '@/lib/format/display';

const DOT = {
  ok: 'bg-success',
  failed: 'bg-destructive',
  retried: 'bg-warning',
  pending: 'bg-muted-foreground',
} as const;

/**
 * Every attempt under one Idempotency-Key, oldest first, with the waits between them. A new call
 * under the same key (attempt back to 1, e.g. the user sent again and got a replay) starts a new group.
 */
export function AttemptTimeline({ attempts, currentId }: { attempts: AttemptSummary[]; currentId: number }) {
  return (
    <ol className="grid gap-0" aria-label="Attempts">
      {attempts.map((a, i) => {
        const current = a.id === currentId;
        const newCall = i > 0 && a.attempt <= (attempts[i - 1]?.attempt ?? 0);
        const outcome = outcomeOf(a);
        return (
          <li key={a.id} className="grid gap-0">
            {newCall ? (
              <p className="text-muted-foreground my-2 border-t pt-2 text-xs">
                A new call under the same key
              </p>
            ) : null}
            {a.waitMs > 0 ? (
              <p className="text-muted-foreground flex items-center gap-2 py-1 pl-1 text-xs">
                <Hourglass className="size-3.5" aria-hidden /> waited {formatDuration(a.waitMs)}
              </p>
            ) : null}
            <Link
              href={`/requests/${a.id}`}
              aria-current={current ? 'page' : undefined}
              className={cn(
                'hover:border-primary/50 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border px-3 py-2 text-sm transition-colors',
                current ? 'border-primary ring-primary/40 ring-1' : 'border-transparent',
              )}
            >
              <span className={cn('size-2.5 shrink-0 rounded-full', DOT[outcome])} aria-hidden />
              <span className="font-medium">attempt {a.attempt}</span>
              <StatusBadge row={a} />
              <span className="text-muted-foreground">
                {a.ok === null ? 'no response recorded' : formatDuration(a.durationMs)}
              </span>
              <span className="text-muted-foreground text-xs">{formatUtc(a.createdAt, true)}</span>
              {a.requestId ? (
                <span className="text-muted-foreground font-mono text-xs">{a.requestId}</span>
              ) : null}
              {current ? <span className="text-primary ml-auto text-xs font-medium">this entry</span> : null}
            </Link>
          </li>
        );
      })}
    </ol>
  );
}
