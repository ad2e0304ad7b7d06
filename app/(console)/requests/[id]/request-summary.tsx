import Link from 'next/link';
import { Layers } from 'lucide-react';
import { Card, CardContent } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { formatDuration, formatUtc } from '@/lib/format/display';
import { endpointLabel, SEND_PATH } from '@/lib/format/request-log';
import type { RequestDetail } from '@/lib/requests/search';

export const SOURCE_LABEL: Record<RequestDetail['source'], string> = {
  compose: 'Compose',
  batch: 'CSV batch job',
  manual_batch: 'Manual batch',
  settings: 'Settings → Sendmux keys',
  upload: 'Attachment upload',
  smtp_test: 'Settings → SMTP test send',
  delivery_logs: 'Check Sendmux delivery logs (management API)',
  other: 'Other',
};

function IdValue({ value, name }: { value: string | null; name: string }) {
  if (!value) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="flex min-w-0 items-center gap-1">
      <code className="truncate font-mono text-xs" title={value}>
        {value}
      </code>
      <CopyButton value={value} label={`Copy ${name}`} />
    </span>
  );
}

/** The facts of one logged request: endpoint, time, status, profile, user, ids, where it came from. */
export function RequestSummary({
  row,
  canSend,
  smtpServer,
}: {
  row: RequestDetail;
  canSend: boolean;
  smtpServer: string;
}) {
  const isSmtp = row.transport === 'smtp';
  const isSend = row.method === 'POST' && row.path === SEND_PATH;
  return (
    <Card>
      <CardContent className="pt-5">
        <dl className="grid gap-x-8 gap-y-3 text-sm sm:grid-cols-2 xl:grid-cols-3">
          <div className="grid gap-0.5">
            <dt className="text-muted-foreground text-xs">Endpoint</dt>
            <dd className="font-mono text-xs break-all">
              {isSmtp ? `SMTP to ${smtpServer || 'the SMTP server'}` : endpointLabel(row)}
            </dd>
          </div>
          <div className="grid gap-0.5">
            <dt className="text-muted-foreground text-xs">Time</dt>
            <dd>{formatUtc(row.createdAt, true)}</dd>
          </div>
          <div className="grid gap-0.5">
            <dt className="text-muted-foreground text-xs">Duration</dt>
            <dd>{row.ok === null ? 'no response recorded' : formatDuration(row.durationMs)}</dd>
          </div>
          <div className="grid gap-0.5">
            <dt className="text-muted-foreground text-xs">{isSmtp ? 'Reply code' : 'HTTP status'}</dt>
            <dd>
              {row.ok === null
                ? 'no response recorded'
                : row.status === null
                  ? isSmtp
                    ? 'no reply (the conversation stopped before the server answered)'
                    : 'no HTTP answer (connection failed or timed out)'
                  : row.status}
            </dd>
          </div>
          <div className="grid gap-0.5">
            <dt className="text-muted-foreground text-xs">Key profile</dt>
            <dd>{row.keyProfile}</dd>
          </div>
          <div className="grid gap-0.5">
            <dt className="text-muted-foreground text-xs">User</dt>
            <dd>{row.userEmail ?? <span className="text-muted-foreground">— (the console itself)</span>}</dd>
          </div>
          {isSmtp ? (
            <div className="grid min-w-0 gap-0.5">
              <dt className="text-muted-foreground text-xs">Queued as</dt>
              <dd>
                <IdValue value={row.messageIds[0] ?? null} name="queued id" />
              </dd>
            </div>
          ) : (
            <>
              <div className="grid min-w-0 gap-0.5">
                <dt className="text-muted-foreground text-xs">request_id</dt>
                <dd>
                  <IdValue value={row.requestId} name="request_id" />
                </dd>
              </div>
              <div className="grid min-w-0 gap-0.5">
                <dt className="text-muted-foreground text-xs">Idempotency key</dt>
                <dd>
                  <IdValue value={row.idempotencyKey} name="idempotency key" />
                </dd>
              </div>
            </>
          )}
          {isSmtp ? null : (
            <div className="grid gap-0.5">
              <dt className="text-muted-foreground text-xs">Attempt</dt>
              <dd>
                {row.attempt}
                {row.waitMs > 0 ? (
                  <span className="text-muted-foreground"> · after waiting {formatDuration(row.waitMs)}</span>
                ) : null}
                {row.nextRetryAt ? (
                  <span className="text-muted-foreground"> · retried at {formatUtc(row.nextRetryAt)}</span>
                ) : null}
              </dd>
            </div>
          )}
          {isSend && row.messageIds[0] ? (
            <div className="grid min-w-0 gap-0.5">
              <dt className="text-muted-foreground text-xs">message_id</dt>
              <dd>
                <IdValue value={row.messageIds[0]} name="message_id" />
              </dd>
            </div>
          ) : null}
          {row.recipients.length ? (
            <div className="grid min-w-0 gap-0.5">
              <dt className="text-muted-foreground text-xs">Recipients</dt>
              <dd className="truncate" title={row.recipients.join(', ')}>
                {row.recipients.slice(0, 3).join(', ')}
                {row.recipients.length > 3 ? (
                  <span className="text-muted-foreground"> +{row.recipients.length - 3} more</span>
                ) : null}
              </dd>
            </div>
          ) : null}
          <div className="grid gap-0.5">
            <dt className="text-muted-foreground text-xs">Came from</dt>
            <dd className="flex flex-wrap items-center gap-x-3 gap-y-1">
              {row.jobId ? (
                <>
                  <Link
                    className="text-primary inline-flex items-center gap-1 underline-offset-2 hover:underline"
                    href={`/batches/${encodeURIComponent(row.jobId)}`}
                  >
                    <Layers className="size-3.5" aria-hidden /> Batch job {row.jobId}
                  </Link>
                  {row.chunkNo !== null ? (
                    <Link
                      className="text-primary underline-offset-2 hover:underline"
                      href={`/batches/${encodeURIComponent(row.jobId)}?chunk=${row.chunkNo}`}
                    >
                      rows of chunk {row.chunkNo}
                    </Link>
                  ) : null}
                </>
              ) : row.source === 'compose' && canSend ? (
                <Link className="text-primary underline-offset-2 hover:underline" href="/compose">
                  Compose
                </Link>
              ) : row.source === 'settings' ? (
                <Link className="text-primary underline-offset-2 hover:underline" href="/settings/keys">
                  Settings → Sendmux keys
                </Link>
              ) : row.source === 'smtp_test' ? (
                <Link className="text-primary underline-offset-2 hover:underline" href="/settings/smtp">
                  Settings → SMTP test send
                </Link>
              ) : (
                <span>{SOURCE_LABEL[row.source]}</span>
              )}
            </dd>
          </div>
          {row.rateLimit &&
          (row.rateLimit.remaining !== undefined || row.rateLimit.retryAfter !== undefined) ? (
            <div className="grid gap-0.5">
              <dt className="text-muted-foreground text-xs">Rate limit</dt>
              <dd>
                {row.rateLimit.remaining !== undefined
                  ? `${row.rateLimit.remaining} of ${row.rateLimit.limit ?? '?'} left`
                  : ''}
                {row.rateLimit.retryAfter !== undefined ? ` · Retry-After ${row.rateLimit.retryAfter} s` : ''}
              </dd>
            </div>
          ) : null}
        </dl>
      </CardContent>
    </Card>
  );
}
