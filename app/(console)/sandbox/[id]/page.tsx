import type { Metadata } from 'next';
import { ArrowLeft, Download, ScrollText } from 'lucide-react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { MessageViews } from '@/components/message-views';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { seesContent } from '@/lib/auth/privacy';
import { requireRole } from '@/lib/auth/require-role';
import { HIDDEN, withoutContent } from '@/lib/requests/redact';
import { getEnv } from '@/lib/env';
import { wireMessageStructure } from '@/lib/compose/message-structure';
import { getOutboxMessage, type OutboxMessage } from '@/lib/sandbox/outbox';
import {
  abbreviateAttachmentContent,
  customHeadersOf,
  formatAddress,
  formatAddressList,
  inWireOrder,
} from '../outbox-display';
import { formatBytes, formatUtc } from '@/lib/format/display';

export const metadata: Metadata = { title: 'Sandbox message' };

export default async function SandboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole('support');
  if (!getEnv().sandboxServed) notFound();
  const { id } = await params;
  const received = id.length <= 100 ? await getOutboxMessage(id) : null;
  if (!received) notFound();
  const contentShown = seesContent(user.role);
  const message: OutboxMessage = contentShown
    ? received
    : {
        ...received,
        message: withoutContent(received.message) as OutboxMessage['message'],
        attachments: received.attachments.map((a) => ({ ...a, filename: HIDDEN, available: false })),
      };
  const m = message.message;
  const html = typeof m.html_body === 'string' ? m.html_body : '';
  const text = typeof m.text_body === 'string' ? m.text_body : '';
  const rawJson = JSON.stringify(inWireOrder(abbreviateAttachmentContent(m)), null, 2);

  return (
    <>
      <div className="mb-3">
        <Button asChild variant="ghost" size="sm" className="-ml-3">
          <Link href="/sandbox">
            <ArrowLeft aria-hidden /> Outbox
          </Link>
        </Button>
      </div>
      <PageHeader
        title={message.subject}
        className="[&_h1]:break-words"
        description={
          <>
            Accepted by the sandbox {formatUtc(message.createdAt.toISOString())} through{' '}
            <code className="font-mono text-xs">
              {message.endpoint === 'SMTP' ? 'SMTP' : `POST ${message.endpoint}`}
            </code>
            {message.batchIndex !== null ? ` (batch item ${message.batchIndex})` : ''}. Not delivered: this is
            what Sendmux would have received.
          </>
        }
        actions={
          <Button asChild variant="outline" size="sm">
            <Link
              href={`/requests?q=${encodeURIComponent(message.endpoint === 'SMTP' ? message.id : message.requestId)}`}
            >
              <ScrollText aria-hidden /> Find in the request log
            </Link>
          </Button>
        }
      />
      {contentShown ? null : (
        <p className="text-muted-foreground mb-4 max-w-3xl text-sm">
          Bodies, custom header values and attachments are hidden from support on this console
          (SUPPORT_SEES_BODIES is off). Addresses, the subject and the outcome are shown.
        </p>
      )}
      <div className="grid max-w-6xl gap-6 xl:grid-cols-[minmax(0,26rem)_minmax(0,1fr)]">
        <div className="grid content-start gap-6">
          <Envelope message={message} />
          <Attachments message={message} />
        </div>
        <Card aria-labelledby="body-title" className="min-w-0">
          <CardHeader>
            <CardTitle id="body-title">Body</CardTitle>
          </CardHeader>
          <CardContent>
            <MessageViews
              label="Body views"
              html={html}
              text={text}
              structure={wireMessageStructure(m, {
                contentHidden: !contentShown,
                attachments: message.attachments.map((a) => ({
                  filename: a.filename,
                  contentType: a.contentType,
                  bytes: a.sizeBytes,
                })),
              })}
              contentHidden={!contentShown}
              defaultValue={html || !text ? 'desktop' : 'text'}
              frameTitle={{
                desktop: 'HTML body as received',
                mobile: 'HTML body as received, at mobile width (375 px)',
              }}
              textEmpty={
                <p className="text-muted-foreground rounded-md border border-dashed p-6 text-sm">
                  No text body was sent; mail clients without HTML would show nothing useful.
                </p>
              }
              frameClassName="h-[640px]"
              extraViews={[
                {
                  value: 'json',
                  label: 'Raw JSON',
                  content: (
                    <div className="grid gap-2">
                      <p className="text-muted-foreground text-xs">
                        The message as received, with its fields in the API’s order. Inline attachment content
                        is cut short here, with its size; download the attachment for its bytes.
                      </p>
                      <pre
                        aria-label="Raw JSON as received"
                        tabIndex={0}
                        className="bg-muted/30 max-h-[640px] overflow-auto rounded-md border p-4 font-mono text-xs [overflow-wrap:anywhere] whitespace-pre-wrap"
                      >
                        {rawJson}
                      </pre>
                    </div>
                  ),
                },
              ]}
            />
          </CardContent>
        </Card>
      </div>
    </>
  );
}

function IdValue({ label, value }: { label: string; value: string | null }) {
  if (!value) return <span className="text-muted-foreground">none</span>;
  return (
    <span className="flex min-w-0 items-center gap-1">
      <code className="font-mono text-xs break-all">{value}</code>
      <CopyButton value={value} label={`Copy ${label}`} />
    </span>
  );
}

/** Over SMTP there is no request_id or idempotency key, but an envelope: MAIL FROM and RCPT TO. */
function smtpOrHttpRows(message: OutboxMessage): [string, React.ReactNode][] {
  const smtp = message.message.smtp as { mail_from?: unknown; rcpt_to?: unknown } | undefined;
  if (message.endpoint === 'SMTP' && smtp)
    return [
      ['MAIL FROM', typeof smtp.mail_from === 'string' ? smtp.mail_from : null],
      ['RCPT TO', Array.isArray(smtp.rcpt_to) ? smtp.rcpt_to.join(', ') : null],
    ];
  return [
    ['request_id', <IdValue key="req" label="request_id" value={message.requestId} />],
    ['Idempotency key', <IdValue key="idem" label="idempotency key" value={message.idempotencyKey} />],
  ];
}

function Envelope({ message }: { message: OutboxMessage }) {
  const m = message.message;
  const headers = customHeadersOf(m);
  const rows: [string, React.ReactNode][] = [
    ['Message id', <IdValue key="id" label="message id" value={message.id} />],
    ...smtpOrHttpRows(message),
    ['From', formatAddress(m.from)],
    ['To', formatAddress(m.to)],
    ['Cc', formatAddressList(m.cc).join(', ') || null],
    ['Bcc', formatAddressList(m.bcc).join(', ') || null],
    ['Reply-To', formatAddress(m.reply_to)],
    ['Return-Path', typeof m.return_path === 'string' ? m.return_path : null],
    ['Subject', message.subject],
  ];
  return (
    <Card aria-labelledby="envelope-title">
      <CardHeader>
        <CardTitle id="envelope-title">Envelope</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-5">
        <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="min-w-0 break-words">
                {value ?? <span className="text-muted-foreground">—</span>}
              </dd>
            </div>
          ))}
        </dl>
        <div className="grid gap-2">
          <h3 className="text-sm font-semibold">Custom headers</h3>
          {headers.length ? (
            <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 font-mono text-xs">
              {headers.map(([name, value]) => (
                <div key={name} className="contents">
                  <dt className="text-muted-foreground">{name}</dt>
                  <dd className="min-w-0 break-all">{value}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="text-muted-foreground text-sm">None</p>
          )}
        </div>
      </CardContent>
    </Card>
  );
}

function Attachments({ message }: { message: OutboxMessage }) {
  const list = message.attachments;
  return (
    <Card aria-labelledby="attachments-title">
      <CardHeader>
        <CardTitle id="attachments-title">Attachments</CardTitle>
        <CardDescription>
          {list.length ? 'Downloads only: the console never opens a received file itself.' : 'None'}
        </CardDescription>
      </CardHeader>
      {list.length ? (
        <CardContent>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Size</TableHead>
                <TableHead>
                  <span className="sr-only">Download</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((a) => (
                <TableRow key={a.index}>
                  <TableCell className="max-w-56 align-top">
                    <p className="truncate font-medium" title={a.filename}>
                      {a.filename}
                    </p>
                    <p className="text-muted-foreground truncate text-xs" title={a.contentType}>
                      {a.contentType}
                    </p>
                    {a.source === 'uploaded' ? (
                      <Badge
                        variant="muted"
                        className="mt-1 font-mono"
                        title="Uploaded first, then referenced by attachment_id"
                      >
                        {a.attachmentId}
                      </Badge>
                    ) : null}
                  </TableCell>
                  <TableCell className="align-top whitespace-nowrap tabular-nums">
                    {formatBytes(a.sizeBytes)}
                  </TableCell>
                  <TableCell className="text-right align-top">
                    {a.available ? (
                      <Button asChild variant="outline" size="sm">
                        <a
                          href={`/sandbox/${encodeURIComponent(message.id)}/attachments/${a.index}`}
                          download
                          aria-label={`Download ${a.filename}`}
                        >
                          <Download aria-hidden /> Download
                        </a>
                      </Button>
                    ) : (
                      <span className="text-muted-foreground text-xs">
                        {a.filename === HIDDEN ? 'hidden from support' : 'no longer stored'}
                      </span>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      ) : null}
    </Card>
  );
}
