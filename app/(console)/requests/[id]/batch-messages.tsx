import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { BatchMessageRow } from '@/lib/format/request-log';
import { explainError } from '@/lib/errors/catalog';

const STATUS_VARIANT = {
  queued: 'success',
  failed: 'destructive',
  'not sent': 'destructive',
  'no result': 'warning',
  pending: 'muted',
} as const;

/** The batch's messages by index, each with what Sendmux answered for it. */
export function BatchMessages({
  rows,
  composeHref,
  viewHref,
  viewing,
}: {
  rows: BatchMessageRow[];
  composeHref: ((index: number) => string) | null;
  /** The page's Message card shows one message of the batch: `viewing`, and `viewHref` picks another. */
  viewHref: (index: number) => string;
  viewing: number;
}) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="w-12 text-right">Index</TableHead>
          <TableHead>To</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>message_id</TableHead>
          <TableHead>Error</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((m) => (
          <TableRow key={m.index}>
            <TableCell className="text-right tabular-nums">{m.index}</TableCell>
            <TableCell className="max-w-64 truncate" title={m.to}>
              {m.to || '—'}
            </TableCell>
            <TableCell>
              <Badge
                variant={STATUS_VARIANT[m.status]}
                className={m.status === 'no result' ? 'border-warning/50 bg-card' : undefined}
              >
                {m.status}
              </Badge>
            </TableCell>
            <TableCell className="font-mono text-xs">
              {m.messageId ?? <span className="text-muted-foreground">—</span>}
            </TableCell>
            <TableCell className="text-xs">
              {m.error ? (
                <div className="grid gap-0.5">
                  <span>
                    <code className="font-mono">{m.error.code}</code> —{' '}
                    {explainError(m.error.code, m.error.message).title}
                  </span>
                  {m.error.message ? <span className="text-muted-foreground">{m.error.message}</span> : null}
                  {m.error.fields.map((f) => (
                    <span key={f.field} className="text-muted-foreground">
                      <code className="font-mono">{f.field}</code>: {f.message || f.code}
                    </span>
                  ))}
                </div>
              ) : (
                <span className="text-muted-foreground">—</span>
              )}
            </TableCell>
            <TableCell className="text-right">
              <span className="flex justify-end gap-3">
                <Link
                  href={viewHref(m.index)}
                  aria-current={m.index === viewing ? 'true' : undefined}
                  className="text-primary text-xs whitespace-nowrap underline-offset-2 hover:underline aria-[current]:font-semibold"
                >
                  {m.index === viewing ? 'Shown below' : 'View'}
                  <span className="sr-only"> (message {m.index})</span>
                </Link>
                {composeHref ? (
                  <Link
                    href={composeHref(m.index)}
                    className="text-primary text-xs whitespace-nowrap underline-offset-2 hover:underline"
                  >
                    Open in Compose<span className="sr-only"> (message {m.index})</span>
                  </Link>
                ) : null}
              </span>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
