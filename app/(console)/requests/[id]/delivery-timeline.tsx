import { CheckCircle2 } from 'lucide-react';
import { DeliveryBadge } from '@/components/delivery-badge';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/cn';
import type { MessageDelivery, TimelineEvent } from '@/lib/delivery/queries';
import { STATUS_OF_TYPE } from '@/lib/delivery-status/status';
import { formatUtc } from '@/lib/format/display';
import { DeliveryLogsCheck } from './delivery-logs-check';

export type DeliveryMessage = { messageId: string; to: string; index: number | null };

const DOT = {
  delivered: 'bg-success',
  bounced: 'bg-destructive',
  complained: 'bg-destructive',
  rejected: 'bg-destructive',
  delayed: 'bg-warning',
} as const;

function Timeline({ acceptedAt, events }: { acceptedAt: string | null; events: TimelineEvent[] }) {
  return (
    <ol className="grid gap-1.5 border-l pl-4 text-sm">
      <li className="relative">
        <span className="bg-success absolute top-1.5 -left-[21px] size-2.5 rounded-full" aria-hidden />
        <span className="font-medium">Accepted</span>{' '}
        <span className="text-muted-foreground">
          by Sendmux (queued){acceptedAt ? ` · ${formatUtc(acceptedAt, true)}` : ''}
        </span>
      </li>
      {events.map((e) => {
        const status = STATUS_OF_TYPE[e.type];
        return (
          <li key={e.eventId} id={e.eventId} className="relative scroll-mt-20">
            <span
              className={cn(
                'absolute top-1.5 -left-[21px] size-2.5 rounded-full',
                status ? DOT[status] : 'bg-muted',
              )}
              aria-hidden
            />
            <span className="font-medium">{e.detail || e.type}</span>{' '}
            <span className="text-muted-foreground">· {formatUtc(e.occurredAt, true)}</span>
            <p className="text-muted-foreground flex flex-wrap gap-x-3 text-xs">
              <code className="font-mono">{e.type}</code>
              <code className="font-mono">{e.eventId}</code>
              {e.recipients.length ? <span>{e.recipients.join(', ')}</span> : null}
              {e.providerMessageId ? <span>provider id {e.providerMessageId}</span> : null}
              <span>received {formatUtc(e.receivedAt)}</span>
              {e.match === 'address' ? <Badge variant="warning">matched by address</Badge> : null}
            </p>
          </li>
        );
      })}
    </ol>
  );
}

/** Per message: accepted → delayed → delivered or bounced…, in the order things happened. */
export function DeliveryTimelines({
  messages,
  statuses,
  timelines,
  acceptedAt,
  logId,
  logsLookup,
}: {
  messages: DeliveryMessage[];
  statuses: Map<string, MessageDelivery>;
  timelines: Map<string, TimelineEvent[]>;
  acceptedAt: string | null;
  /** The request-log entry the messages were sent by. */
  logId: number;
  /** Whether a management key (or the sandbox's) can read Sendmux's delivery logs. */
  logsLookup: boolean;
}) {
  const withEvents = messages.filter((m) => timelines.has(m.messageId)).length;
  return (
    <Card id="delivery" className="scroll-mt-20">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <CheckCircle2 className="text-primary size-4" aria-hidden /> Delivery
        </CardTitle>
        <CardDescription>
          What happened after Sendmux accepted {messages.length === 1 ? 'the message' : 'each message'}, from
          its signed webhook events in the order they happened.{' '}
          {messages.length > 1 ? `${withEvents} of ${messages.length} messages have events so far.` : null}
          {logsLookup ? null : (
            <> Set SENDMUX_MANAGEMENT_KEY to check Sendmux&rsquo;s delivery logs from here as well.</>
          )}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {messages.map((m) => {
          const status = statuses.get(m.messageId);
          const events = timelines.get(m.messageId) ?? [];
          return (
            <section
              key={m.messageId}
              aria-label={`Delivery of ${m.messageId}`}
              className="grid gap-2 rounded-md border p-3"
            >
              <p className="flex flex-wrap items-center gap-2 text-sm">
                {m.index !== null ? <Badge variant="muted">index {m.index}</Badge> : null}
                <span className="font-medium">{m.to || '—'}</span>
                <code className="text-muted-foreground font-mono text-xs">{m.messageId}</code>
                <DeliveryBadge status={status?.status ?? 'none'} />
                {status?.detail ? <span className="text-muted-foreground">{status.detail}</span> : null}
              </p>
              {events.length ? (
                <Timeline acceptedAt={acceptedAt} events={events} />
              ) : (
                <p className="text-muted-foreground text-sm">
                  No delivery event yet. Sendmux posts one when the receiving server answers; check Settings →
                  Webhooks if none ever arrives.
                </p>
              )}
              {logsLookup ? <DeliveryLogsCheck logId={logId} messageId={m.messageId} /> : null}
            </section>
          );
        })}
      </CardContent>
    </Card>
  );
}
