import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { ArrowLeft, FileWarning, Mail, PenSquare } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { SmtpTranscript } from '@/components/smtp-transcript';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { seesContent } from '@/lib/auth/privacy';
import { requireRole } from '@/lib/auth/require-role';
import { hasRole } from '@/lib/schemas/roles';
import { curlCommand, fetchSnippet } from '@/lib/compose/snippets';
import { getEnv } from '@/lib/env';
import {
  batchMessages,
  BATCH_PATH,
  documentedOrder,
  endpointLabel,
  messagesOf,
  prettyBody,
  redactedAttachments,
  responseError,
  SEND_PATH,
} from '@/lib/format/request-log';
import { transcriptOf, transcriptText } from '@/lib/format/smtp-transcript';
import { readSandboxCa } from '@/lib/sandbox/smtp-cert';
import { findByRequestId, getAttempts, getRequest, searchRequests } from '@/lib/requests/search';
import { buildSupportBundle, safeRequestBody, safeResponseBody } from '@/lib/requests/support-bundle';
import { AttemptTimeline } from './attempt-timeline';
import { DeliveryTimelines, type DeliveryMessage } from './delivery-timeline';
import { deliveryStatuses, deliveryTimelines } from '@/lib/delivery/queries';
import { describeManagementTarget } from '@/lib/sendmux/management';
import { BatchMessages } from './batch-messages';
import { ErrorExplained } from './error-explained';
import { RequestSummary, SOURCE_LABEL } from './request-summary';
import { smtpCurl, snippetFor, str, type Json } from './request-snippets';
import { JsonBlock } from './json-block';
import { LoggedMessage } from './logged-message';
import { StatusBadge } from '../status-badge';
import { formatBytes, formatUtc } from '@/lib/format/display';

export const metadata: Metadata = { title: 'Request' };

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export default async function RequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ message?: string | string[] }>;
}) {
  const user = await requireRole('support');
  const { id: raw } = await params;
  const { message: messageParam } = await searchParams;
  const idParam = safeDecode(raw);
  if (/^req_[A-Za-z0-9]+$/.test(idParam)) {
    const ids = await findByRequestId(idParam);
    if (ids.length === 1) redirect(`/requests/${ids[0]}`);
    if (ids.length > 1) redirect(`/requests?q=${encodeURIComponent(idParam)}`);
    notFound();
  }
  if (/^evt_[A-Za-z0-9]+$/.test(idParam)) {
    // A delivery event's link: the entry of the message it is about, scrolled to the event.
    const { items } = await searchRequests({ q: idParam, limit: 2 });
    if (items.length === 1) redirect(`/requests/${items[0]!.id}#${idParam}`);
    redirect(`/requests?q=${encodeURIComponent(idParam)}`);
  }
  if (!/^\d{1,15}$/.test(idParam)) notFound();
  const row = await getRequest(Number(idParam), user);
  if (!row) notFound();

  const env = getEnv();
  const attempts = row.idempotencyKey ? await getAttempts(row.idempotencyKey, row.path) : [];
  const canSend = hasRole(user.role, 'sender');
  const requestBody = safeRequestBody(row.path, row.requestBody);
  const responseBody = safeResponseBody(row.responseBody);
  const upstream = responseError(row.responseBody);
  const redacted = redactedAttachments(row.path, requestBody);
  const isSend = row.method === 'POST' && row.path === SEND_PATH;
  const isBatch = row.method === 'POST' && row.path === BATCH_PATH;
  const batchRows = isBatch ? batchMessages(row.requestBody, row.responseBody, row.ok) : [];
  const messages = isSend || isBatch ? messagesOf(requestBody) : [];
  const asked = typeof messageParam === 'string' && /^\d{1,3}$/.test(messageParam) ? Number(messageParam) : 0;
  const shownIndex = asked < messages.length ? asked : 0;
  const shownMessage = messages[shownIndex];
  // A delivery-logs lookup went to the management API with its own key, which stays a placeholder.
  const isManagement = row.source === 'delivery_logs';
  const keyVariable = isManagement ? 'SENDMUX_MANAGEMENT_KEY' : 'SENDMUX_API_KEY';
  const snippet = {
    ...snippetFor(
      row,
      isManagement ? (describeManagementTarget()?.baseUrl ?? env.managementApiUrl) : env.sendmuxApiUrl,
      documentedOrder(requestBody),
    ),
    keyVariable,
  } as const;
  const responseIsText = typeof row.responseBody === 'string';
  const isSmtp = row.transport === 'smtp';
  const transcript = isSmtp ? transcriptOf(row.transcript) : [];
  const smtpServer = isSmtp ? str((requestBody as Json | null)?.server) : '';
  const sandboxCaFile =
    isSmtp && env.smtp.trustSandboxCa && smtpServer === env.smtp.url && readSandboxCa(env.dataDir)
      ? `${env.dataDir}/sandbox-smtp-ca.pem`
      : undefined;
  const curl = isSmtp ? smtpCurl(requestBody, sandboxCaFile) : curlCommand(snippet);
  const deliveryMessages: DeliveryMessage[] = isBatch
    ? batchRows.flatMap((m) =>
        m.messageId && m.status === 'queued' ? [{ messageId: m.messageId, to: m.to, index: m.index }] : [],
      )
    : isSend && row.ok && row.messageIds[0]
      ? [{ messageId: row.messageIds[0], to: row.recipients[0] ?? '', index: null }]
      : [];
  const deliveryIds = deliveryMessages.map((m) => m.messageId);
  const [statuses, timelines] = await Promise.all([
    deliveryStatuses(deliveryIds),
    deliveryTimelines(deliveryIds),
  ]);

  return (
    <>
      <div className="mb-3">
        <Button asChild variant="ghost" size="sm" className="-ml-3">
          <Link href="/requests">
            <ArrowLeft aria-hidden /> Requests
          </Link>
        </Button>
      </div>
      <PageHeader
        title={
          isSmtp ? 'SMTP test send' : endpointLabel({ method: row.method, path: row.path.split('?')[0]! })
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge row={row} />
            <span>{formatUtc(row.createdAt, true)}</span>
            <span aria-hidden>·</span>
            <span>{SOURCE_LABEL[row.source]}</span>
            <span aria-hidden>·</span>
            <span>entry #{row.id}</span>
          </span>
        }
        actions={
          <>
            <CopyButton
              value={buildSupportBundle(row, attempts)}
              label="Copy for support: request_id, error and the redacted request and response, without keys or attachment content"
            >
              Copy for support
            </CopyButton>
            <CopyButton value={curl} label={`Copy as curl (the key is read from $${keyVariable})`}>
              Copy as curl
            </CopyButton>
            {canSend && isSend ? (
              <Button asChild size="sm">
                <Link href={`/compose?from=${row.id}`}>
                  <PenSquare aria-hidden /> Open in Compose
                </Link>
              </Button>
            ) : null}
          </>
        }
      />

      <div className="grid gap-6">
        <RequestSummary row={row} canSend={canSend} smtpServer={smtpServer} />

        {row.ok === null ? (
          <Alert variant="warning" role="region" aria-label="No response">
            <FileWarning aria-hidden />
            <AlertTitle>No response recorded</AlertTitle>
            <AlertDescription>
              The console logged this attempt before sending it, but no outcome was ever written: it is still
              running, or the console stopped mid-call. Whether Sendmux received it is unknown;
              {row.idempotencyKey
                ? ' a retry with the same Idempotency-Key is safe (Sendmux replays instead of sending twice).'
                : ' it carried no Idempotency-Key, so a retry could send twice.'}
            </AlertDescription>
          </Alert>
        ) : row.errorCode ? (
          <ErrorExplained
            code={row.errorCode}
            message={row.errorMessage}
            status={row.status}
            retryable={upstream?.retryable}
            docUrl={upstream?.docUrl}
            fields={upstream?.fields ?? []}
          />
        ) : null}

        {deliveryMessages.length > 0 ? (
          <DeliveryTimelines
            messages={deliveryMessages}
            statuses={statuses}
            timelines={timelines}
            acceptedAt={row.completedAt}
            logId={row.id}
            logsLookup={describeManagementTarget() !== undefined}
          />
        ) : null}

        {isSmtp ? (
          <Card>
            <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-2">
              <div className="grid gap-1.5">
                <CardTitle className="flex items-center gap-2">
                  <Mail className="text-primary size-4" aria-hidden /> Transcript
                </CardTitle>
                <CardDescription>
                  The conversation as it happened, with the time of each step. The AUTH secret is shown as
                  ***; the key was never stored.
                </CardDescription>
              </div>
              {transcript.length ? (
                <CopyButton value={transcriptText(transcript)} label="Copy the transcript as text">
                  Copy transcript
                </CopyButton>
              ) : null}
            </CardHeader>
            <CardContent>
              {transcript.length ? (
                <SmtpTranscript lines={transcript} />
              ) : (
                <p className="text-muted-foreground text-sm">No transcript was recorded for this test.</p>
              )}
            </CardContent>
          </Card>
        ) : null}

        {attempts.length > 0 ? (
          <Card>
            <CardHeader>
              <CardTitle>Attempts under this idempotency key</CardTitle>
              <CardDescription>
                {attempts.length === 1
                  ? 'One attempt: it was not retried.'
                  : `${attempts.length} attempts, oldest first. Each is its own entry; the highlighted one is this page.`}
              </CardDescription>
            </CardHeader>
            <CardContent>
              <AttemptTimeline attempts={attempts} currentId={row.id} />
            </CardContent>
          </Card>
        ) : null}

        {isBatch ? (
          <Card>
            <CardHeader>
              <CardTitle>Messages in this batch</CardTitle>
              <CardDescription>
                {batchRows.length} message{batchRows.length === 1 ? '' : 's'} by index; results are matched by
                their index field.
                {row.ok
                  ? ` ${batchRows.filter((m) => m.status === 'queued').length} queued, ${batchRows.filter((m) => m.status !== 'queued').length} not.`
                  : ''}
              </CardDescription>
            </CardHeader>
            <CardContent>
              <BatchMessages
                rows={batchRows}
                composeHref={canSend ? (index) => `/compose?from=${row.id}&index=${index}` : null}
                viewHref={(index) => `/requests/${row.id}?message=${index}#message`}
                viewing={shownIndex}
              />
            </CardContent>
          </Card>
        ) : null}

        {shownMessage ? (
          <LoggedMessage
            message={shownMessage}
            index={isBatch ? shownIndex : null}
            contentHidden={!seesContent(user.role)}
          />
        ) : null}

        <div className="grid gap-6 xl:grid-cols-2">
          <Card className="min-w-0">
            <CardHeader>
              <CardTitle>Request</CardTitle>
              <CardDescription>
                As logged. Attachment content is never stored: each attachment is kept as its name and size.
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-3">
              {redacted.length ? (
                <ul
                  className="grid gap-1 rounded-md border border-dashed p-3 text-sm"
                  aria-label="Attachments (content not stored)"
                >
                  {redacted.map((a, i) => (
                    <li key={`${a.filename}-${i}`} className="flex flex-wrap items-center gap-2">
                      <Badge variant="muted">content not stored</Badge>
                      <span className="font-medium">{a.filename}</span>
                      <span className="text-muted-foreground">
                        {formatBytes(a.sizeBytes)}
                        {a.message !== null ? ` · message ${a.message}` : ''}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : null}
              {requestBody === null || requestBody === undefined ? (
                <p className="text-muted-foreground text-sm">No body ({row.method} request).</p>
              ) : (
                <JsonBlock label="Request body" text={prettyBody(requestBody)} />
              )}
            </CardContent>
          </Card>
          <Card className="min-w-0">
            <CardHeader>
              <CardTitle>Response</CardTitle>
              <CardDescription>
                {row.ok === null
                  ? 'No response was recorded for this attempt.'
                  : isSmtp
                    ? 'The server’s last reply and the id it queued the message under.'
                    : responseIsText
                      ? 'The answer was not JSON; shown as received.'
                      : 'The JSON Sendmux answered.'}
              </CardDescription>
            </CardHeader>
            <CardContent>
              {row.ok === null ? null : responseBody === null ||
                responseBody === undefined ||
                responseBody === '' ? (
                <p className="text-muted-foreground text-sm">
                  {row.status === null
                    ? isSmtp
                      ? 'No reply arrived.'
                      : 'No HTTP answer arrived.'
                    : 'The response had no body.'}
                </p>
              ) : (
                <JsonBlock label="Response body" text={prettyBody(responseBody)} />
              )}
            </CardContent>
          </Card>
        </div>

        <Card>
          <CardHeader>
            <CardTitle>Reproduce</CardTitle>
            <CardDescription>
              The key is read from <code className="font-mono text-xs">{keyVariable}</code> in your
              environment; it is never part of the command.
              {isManagement ? ' This is a read of the management API’s delivery logs: it sends nothing.' : ''}
              {isSmtp
                ? ' curl speaks SMTP too: the same message, over the same server, with STARTTLS required.'
                : ''}
              {row.idempotencyKey
                ? ' It keeps the original Idempotency-Key: within 24 hours Sendmux replays the original answer instead of sending again. Delete that line to send anew.'
                : ''}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-3">
            {redacted.length && !snippet.file ? (
              <p className="border-warning/40 bg-warning/5 rounded-md border p-3 text-sm">
                {isSmtp
                  ? 'Attachment content was not stored, so this command sends the message without its attachment.'
                  : 'Attachment content was not stored, so this command sends each attachment as its name and size only: Sendmux will reject it until you put the base64 content back.'}
              </p>
            ) : null}
            {isSmtp ? (
              <div className="grid gap-2">
                <JsonBlock label="curl command" text={curl} />
                <div>
                  <CopyButton value={curl} label="Copy the curl command">
                    Copy curl
                  </CopyButton>
                </div>
              </div>
            ) : (
              <Tabs defaultValue="curl">
                <TabsList aria-label="Snippet language">
                  <TabsTrigger value="curl">curl</TabsTrigger>
                  <TabsTrigger value="fetch">fetch</TabsTrigger>
                </TabsList>
                <TabsContent value="curl" className="grid gap-2">
                  <JsonBlock label="curl command" text={curlCommand(snippet)} />
                  <div>
                    <CopyButton value={curlCommand(snippet)} label="Copy the curl command">
                      Copy curl
                    </CopyButton>
                  </div>
                </TabsContent>
                <TabsContent value="fetch" className="grid gap-2">
                  <JsonBlock label="fetch snippet" text={fetchSnippet(snippet)} />
                  <div>
                    <CopyButton value={fetchSnippet(snippet)} label="Copy as fetch">
                      Copy as fetch
                    </CopyButton>
                  </div>
                </TabsContent>
              </Tabs>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
