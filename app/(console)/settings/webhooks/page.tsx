import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/require-role';
import { rejectedSignatureCount } from '@/lib/delivery/ingest';
import { webhookOverview } from '@/lib/delivery/queries';
import { getEnv, maskKey, WEBHOOK_PATH } from '@/lib/env';
import { formatCount, formatUtc } from '@/lib/format/display';
import { hasRole } from '@/lib/schemas/roles';

export const metadata: Metadata = { title: 'Webhooks' };

const EVENT_TYPES = [
  'message.delivered',
  'message.bounced',
  'message.complained',
  'message.rejected',
  'message.delivery_delayed',
];

export default async function WebhooksPage() {
  const user = await requireRole('support');
  const env = getEnv();
  const url = `${env.appUrl}${WEBHOOK_PATH}`;
  const [overview, rejected] = await Promise.all([webhookOverview(), rejectedSignatureCount()]);
  const secrets = env.webhookSecrets.length;
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Sendmux reports what happened after “queued” — delivered, bounced, complained, rejected, delayed — by signed webhook posts to this console. They feed Compose’s result, the request detail, batch jobs and their results CSV."
      />
      <div className="grid max-w-4xl gap-6">
        <Card aria-labelledby="webhook-status-title">
          <CardHeader>
            <CardTitle id="webhook-status-title">Receiver</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="text-muted-foreground">URL to register</dt>
              <dd className="flex min-w-0 items-center gap-1">
                <code className="truncate font-mono text-xs" data-testid="webhook-url">
                  {url}
                </code>
                <CopyButton value={url} label="Copy the webhook URL" />
              </dd>
              <dt className="text-muted-foreground">Signing secrets</dt>
              <dd>
                {secrets > 0 ? (
                  <>
                    <Badge variant="success">set</Badge>{' '}
                    {secrets === 1
                      ? 'One secret in SENDMUX_WEBHOOK_SECRETS.'
                      : `${secrets} secrets in SENDMUX_WEBHOOK_SECRETS: events signed with any of them are accepted (rotation).`}
                  </>
                ) : (
                  <>
                    <Badge variant={env.sandboxServed ? 'muted' : 'destructive'}>not set</Badge>{' '}
                    {env.sandboxServed
                      ? 'SENDMUX_WEBHOOK_SECRETS is empty; only the built-in sandbox’s own secret is accepted.'
                      : 'SENDMUX_WEBHOOK_SECRETS is empty, so every post is refused with 401.'}
                  </>
                )}
                {env.sandboxServed && secrets > 0 ? ' The sandbox’s own secret is accepted too.' : null}
              </dd>
              <dt className="text-muted-foreground">Last event received</dt>
              <dd data-testid="webhook-last-event">
                {overview.lastEvent ? (
                  <>
                    <code className="font-mono text-xs">{overview.lastEvent.type}</code>{' '}
                    <Link
                      href={`/requests?q=${encodeURIComponent(overview.lastEvent.eventId)}`}
                      className="text-primary font-mono text-xs underline-offset-2 hover:underline"
                    >
                      {overview.lastEvent.eventId}
                    </Link>{' '}
                    <span className="text-muted-foreground">
                      at {formatUtc(overview.lastEvent.receivedAt, true)}
                    </span>
                  </>
                ) : (
                  <span className="text-muted-foreground">None yet.</span>
                )}
              </dd>
              <dt className="text-muted-foreground">Events stored</dt>
              <dd>
                {formatCount(overview.eventCount)}
                {overview.unmatchedCount > 0
                  ? ` · ${formatCount(overview.unmatchedCount)} could not be matched to a send from this console`
                  : ''}
              </dd>
              <dt className="text-muted-foreground">Signatures rejected</dt>
              <dd data-testid="webhook-rejected">
                {formatCount(rejected)}
                {rejected > 0 ? (
                  <span className="text-muted-foreground">
                    {' '}
                    — posts with a missing or wrong X-Sendmux-Signature, refused with 401 and not stored.
                    {hasRole(user.role, 'admin') ? (
                      <>
                        {' '}
                        See the{' '}
                        <Link
                          href="/settings/audit?action=webhook.signature_rejected"
                          className="text-foreground underline underline-offset-2"
                        >
                          audit log
                        </Link>
                        .
                      </>
                    ) : null}
                  </span>
                ) : null}
              </dd>
              <dt className="text-muted-foreground">Delivery logs</dt>
              <dd>
                {env.managementKey ? (
                  <>
                    <Badge variant="success">management key set</Badge>{' '}
                    <code className="font-mono text-xs">{maskKey(env.managementKey)}</code> against{' '}
                    <code className="font-mono text-xs">{env.managementApiUrl}</code> (read only; it never
                    sends).
                  </>
                ) : (
                  <span className="text-muted-foreground">
                    Optional: SENDMUX_MANAGEMENT_KEY (smx_root_…, logs.read) lets a message’s page check
                    Sendmux’s delivery logs.
                  </span>
                )}
              </dd>
            </dl>
          </CardContent>
        </Card>

        <Card aria-labelledby="webhook-setup-title">
          <CardHeader>
            <CardTitle id="webhook-setup-title">Set up</CardTitle>
            <CardDescription>Once per Sendmux team; Free teams have one webhook.</CardDescription>
          </CardHeader>
          <CardContent>
            <ol className="grid list-decimal gap-2 pl-5 text-sm">
              <li>
                In Sendmux, create a webhook with the URL above (it must be reachable from the internet over
                HTTPS) and the events{' '}
                {EVENT_TYPES.map((t, i) => (
                  <span key={t}>
                    <code className="font-mono text-xs">{t}</code>
                    {i < EVENT_TYPES.length - 1 ? ', ' : ''}
                  </span>
                ))}
                .
              </li>
              <li>
                Copy the signing secret — Sendmux shows it only once — into{' '}
                <code className="font-mono text-xs">SENDMUX_WEBHOOK_SECRETS</code> and restart the console.
              </li>
              <li>
                Use Sendmux’s “Send test” on the webhook: a{' '}
                <code className="font-mono text-xs">sendmux.test</code> event appears above as the last event
                received. A 401 there means the secret does not match.
              </li>
              <li>
                To rotate: put the new secret after the old one (
                <code className="font-mono text-xs">SENDMUX_WEBHOOK_SECRETS=old,new</code>), restart, rotate
                in Sendmux, then remove the old one. Events signed with either verify in between.
              </li>
            </ol>
            <p className="text-muted-foreground mt-3 text-sm">
              The receiver checks the signature over the raw body, stores each event once (retries with the
              same event id change nothing), answers at once and links events to messages afterwards. Events
              older than {env.requestLogRetentionDays} days are deleted with the request log.
            </p>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
