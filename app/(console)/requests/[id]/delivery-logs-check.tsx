'use client';

import { Loader2, ScrollText } from 'lucide-react';
import { useState, useTransition } from 'react';
import { ErrorExplanation } from '@/components/error-explanation';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { LogsLookup } from '@/lib/delivery/logs-lookup';
import { formatUtc } from '@/lib/format/display';
import { checkDeliveryLogsAction } from './actions';

type Result = Awaited<ReturnType<typeof checkDeliveryLogsAction>>;

const LOG_STATUS = {
  pending: { label: 'Pending', variant: 'warning' },
  sent: { label: 'Sent', variant: 'success' },
  failed: { label: 'Failed', variant: 'destructive' },
  rejected: { label: 'Rejected', variant: 'destructive' },
} as const;

/** "Check Sendmux delivery logs" for one message: the management API's account of the send. */
export function DeliveryLogsCheck({ logId, messageId }: { logId: number; messageId: string }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<Result | null>(null);
  return (
    <div className="grid gap-2">
      <div>
        <Button
          variant="outline"
          size="sm"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              setResult(await checkDeliveryLogsAction({ logId, messageId }));
            })
          }
        >
          {pending ? <Loader2 className="animate-spin" aria-hidden /> : <ScrollText aria-hidden />}
          Check Sendmux delivery logs
        </Button>
      </div>
      <div aria-live="polite">
        {result === null ? null : result.ok ? (
          <LogResult lookup={result.data} />
        ) : (
          <ErrorExplanation error={result.error} title="The delivery-logs lookup failed" />
        )}
      </div>
    </div>
  );
}

function LogResult({ lookup }: { lookup: LogsLookup }) {
  const searched = (
    <>
      {lookup.candidates} log{lookup.candidates === 1 ? '' : 's'} to {lookup.searched.recipient} between{' '}
      {formatUtc(lookup.searched.fromDate)} and {formatUtc(lookup.searched.toDate)}
    </>
  );
  if (!lookup.found)
    return (
      <div role="region" aria-label="Sendmux delivery log" className="rounded-md border p-3 text-sm">
        <p className="font-medium">No delivery log matches this message yet.</p>
        <p className="text-muted-foreground">
          Searched {searched}. Sendmux writes the log when its provider answers; try again in a minute, or
          compare the logs in the Sendmux dashboard.
        </p>
      </div>
    );
  const log = lookup.log;
  const status = LOG_STATUS[log.status];
  return (
    <div role="region" aria-label="Sendmux delivery log" className="grid gap-2 rounded-md border p-3 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-medium">Delivery log</span>
        <code className="text-muted-foreground font-mono text-xs">{log.id}</code>
        <Badge variant={status.variant}>{status.label}</Badge>
        {log.status_reason ? <span>{log.status_reason}</span> : null}
      </p>
      <dl className="text-muted-foreground grid gap-x-6 gap-y-1 text-xs sm:grid-cols-[max-content_1fr]">
        <dt>Provider</dt>
        <dd>{log.provider_name ?? '—'}</dd>
        <dt>Sent at</dt>
        <dd>
          {log.sent_at ? formatUtc(log.sent_at, true) : 'not yet'} · {log.attempts} attempt
          {log.attempts === 1 ? '' : 's'}
        </dd>
        <dt>Message-ID</dt>
        <dd>
          <code className="font-mono">{log.message_id ?? '—'}</code>
        </dd>
        <dt>Matched by</dt>
        <dd>
          {lookup.matchedBy} (searched {searched})
        </dd>
      </dl>
      {log.recipients?.length ? (
        <Table aria-label="Recipients in the delivery log">
          <TableHeader>
            <TableRow>
              <TableHead>Recipient</TableHead>
              <TableHead>Type</TableHead>
              <TableHead>Outcome</TableHead>
              <TableHead>Reason</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {log.recipients.map((r, i) => (
              <TableRow key={`${r.email}-${i}`}>
                <TableCell>{r.email}</TableCell>
                <TableCell>{r.type ?? '—'}</TableCell>
                <TableCell>
                  <Badge variant={r.status === 'accepted' ? 'success' : 'destructive'}>
                    {r.status === 'accepted' ? 'Accepted' : 'Rejected'}
                  </Badge>
                </TableCell>
                <TableCell>{r.reason ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <p className="text-muted-foreground text-xs">The log has no per-recipient snapshot.</p>
      )}
    </div>
  );
}
