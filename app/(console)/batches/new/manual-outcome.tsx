'use client';

import { CheckCircle2 } from 'lucide-react';
import { ErrorExplanation } from '@/components/error-explanation';
import { SendResultActions } from '@/components/send-intent-fields';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ManualBatchData, ManualItemResult } from '@/lib/batch/manual';
import { explainError } from '@/lib/errors/catalog';
import type { ActionError } from '@/lib/schemas/action-result';

/** The send's answer, with the To of each message (by index) and the key it went under. */
export type ManualOutcome = (
  ({ ok: true } & ManualBatchData) | { ok: false; error: ActionError; results: ManualItemResult[] }
) & {
  to: string[];
  key: string;
};

/** What the one batch request did: its request_id and key, or the error; then every message by index. */
export function ManualOutcomePanel({ outcome, onNewKey }: { outcome: ManualOutcome; onNewKey: () => void }) {
  return (
    <section aria-labelledby="manual-result-title" className="grid min-w-0 gap-3 [overflow-wrap:anywhere]">
      {outcome.ok ? (
        <div className="border-success/40 bg-success/5 rounded-lg border p-4 text-sm">
          <h2 id="manual-result-title" className="mb-2 flex items-center gap-2 font-semibold">
            <CheckCircle2 className="text-success size-4" aria-hidden />
            Sent in one request: {outcome.summary.queued} queued, {outcome.summary.failed} failed
          </h2>
          <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1">
            <dt className="text-muted-foreground">request_id</dt>
            <dd className="flex min-w-0 items-center gap-1">
              {outcome.requestId ? (
                <>
                  <code className="truncate font-mono text-xs">{outcome.requestId}</code>
                  <CopyButton value={outcome.requestId} label="Copy request_id" />
                </>
              ) : (
                '—'
              )}
            </dd>
            <dt className="text-muted-foreground">idempotency key</dt>
            <dd>
              <code className="font-mono text-xs break-all">{outcome.key}</code>
            </dd>
          </dl>
          <p className="text-muted-foreground mt-2">
            Sending again under this key replays this answer; nothing goes out twice. Start a new key to send
            again on purpose.
          </p>
          <SendResultActions logId={outcome.logId} onNewKey={onNewKey} />
        </div>
      ) : (
        <>
          <h2 id="manual-result-title" className="sr-only">
            Manual batch failed
          </h2>
          <ErrorExplanation error={outcome.error} title={`Not sent — ${outcome.error.code}`} />
        </>
      )}
      {outcome.results.length ? (
        <div className="bg-card min-w-0 rounded-lg border">
          <Table aria-label="Result of each message">
            <TableHeader>
              <TableRow>
                <TableHead className="w-14 text-right">Index</TableHead>
                <TableHead>To</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>message_id / error</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {outcome.results.map((r) => {
                const e = r.ok ? null : explainError(r.error.code, r.error.message);
                return (
                  <TableRow key={r.index}>
                    <TableCell className="text-right align-top tabular-nums">{r.index}</TableCell>
                    <TableCell className="max-w-48 truncate align-top" title={outcome.to[r.index]}>
                      {outcome.to[r.index] ?? '—'}
                    </TableCell>
                    <TableCell className="align-top">
                      <Badge variant={r.ok ? 'success' : 'destructive'}>{r.ok ? 'queued' : 'failed'}</Badge>
                    </TableCell>
                    <TableCell className="align-top text-xs">
                      {r.ok ? (
                        <code className="font-mono">{r.messageId}</code>
                      ) : (
                        <div className="grid gap-0.5">
                          <span>
                            <code className="text-destructive font-mono">{r.error.code}</code> —{' '}
                            {r.error.title}
                          </span>
                          <span className="text-muted-foreground">{e?.meaning}</span>
                          {r.error.message && r.error.message !== e?.meaning ? (
                            <span className="text-muted-foreground">Sendmux said: {r.error.message}</span>
                          ) : null}
                          {r.error.fields.map((f) => (
                            <span key={f.field} className="text-muted-foreground">
                              <code className="font-mono">{f.field}</code>: {f.message || f.code}
                            </span>
                          ))}
                          <span>
                            <strong>What to do:</strong> {r.error.action}
                          </span>
                        </div>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      ) : null}
    </section>
  );
}
