import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatUtc } from '@/lib/format/display';
import { DELIVERY_SCENARIOS, MAX_ATTEMPTS, type WebhookDeliveryRow } from '@/lib/sandbox/webhooks';
import { ScenarioList } from './scenario-guide';
import { SendTestEventButton } from './send-test-event-button';

const STATE_VARIANT = { delivered: 'success', failed: 'destructive', pending: 'muted' } as const;

/** What the sandbox posted to the console's webhook receiver, and the scenarios that choose it. */
export function WebhookEvents({
  rows,
  receiverUrl,
  canSendTest,
}: {
  rows: WebhookDeliveryRow[];
  receiverUrl: string;
  canSendTest: boolean;
}) {
  return (
    <Card aria-labelledby="webhook-events-title">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <CardTitle id="webhook-events-title">Delivery events</CardTitle>
          <CardDescription>
            For every message it accepts, the sandbox posts signed events to{' '}
            <code className="font-mono text-xs">{receiverUrl}</code> as Sendmux would, and retries until it
            gets a 2xx (at most {MAX_ATTEMPTS} attempts). The newest posts:
          </CardDescription>
        </div>
        {canSendTest ? <SendTestEventButton /> : null}
      </CardHeader>
      <CardContent className="grid gap-5">
        {rows.length === 0 ? (
          <p className="text-muted-foreground rounded-md border border-dashed p-6 text-center text-sm">
            No events yet: send a message and its delivery event appears here about a second later.
          </p>
        ) : (
          <Table aria-label="Webhook posts">
            <TableHeader>
              <TableRow>
                <TableHead>Event</TableHead>
                <TableHead>Message</TableHead>
                <TableHead>State</TableHead>
                <TableHead className="text-right">Attempts</TableHead>
                <TableHead>Last answer</TableHead>
                <TableHead className="text-right">Latency</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.id}>
                  <TableCell>
                    <p className="font-mono text-xs">{r.type}</p>
                    <p className="text-muted-foreground font-mono text-xs">{r.eventId}</p>
                  </TableCell>
                  <TableCell className="font-mono text-xs">
                    {r.messageId ?? <span className="text-muted-foreground">—</span>}
                  </TableCell>
                  <TableCell>
                    <Badge variant={STATE_VARIANT[r.state]}>{r.state}</Badge>
                    {r.state === 'pending' ? (
                      <p className="text-muted-foreground mt-1 text-xs">
                        due {formatUtc(r.dueAt.toISOString())}
                      </p>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{r.attempts}</TableCell>
                  <TableCell className="text-xs">
                    {r.lastStatus !== null ? (
                      <span className="tabular-nums">HTTP {r.lastStatus}</span>
                    ) : r.lastError ? (
                      <span className="text-destructive">{r.lastError}</span>
                    ) : (
                      <span className="text-muted-foreground">not posted yet</span>
                    )}
                    {r.lastAttemptAt ? (
                      <p className="text-muted-foreground">{formatUtc(r.lastAttemptAt.toISOString())}</p>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-right text-xs tabular-nums">
                    {r.lastLatencyMs !== null ? `${r.lastLatencyMs} ms` : '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <div className="grid gap-2">
          <h3 className="text-base font-semibold">Delivery scenarios</h3>
          <p className="text-muted-foreground text-sm">
            Chosen by the first matching To, Cc or Bcc address; they combine with the failure scenarios above
            only in that a message that fails is never delivered.
          </p>
          <ScenarioList scenarios={DELIVERY_SCENARIOS} />
        </div>
      </CardContent>
    </Card>
  );
}
