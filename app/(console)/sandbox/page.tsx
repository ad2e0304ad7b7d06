import type { Metadata } from 'next';
import { ChevronLeft, ChevronRight, Inbox, Paperclip, PenSquare, Search, X } from 'lucide-react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/require-role';
import { hasRole } from '@/lib/schemas/roles';
import { getEnv, maskKey, SANDBOX_API_PATH } from '@/lib/env';
import { getSandboxKey } from '@/lib/sandbox/key';
import { listOutbox, outboxCount, type OutboxSummary } from '@/lib/sandbox/outbox';
import { ClearOutboxButton } from './clear-outbox-button';
import { OUTBOX_PAGE_SIZE } from './outbox-display';
import { ScenarioGuide } from './scenario-guide';
import { WebhookEvents } from './webhook-events';
import { listWebhookDeliveries, receiverUrl } from '@/lib/sandbox/webhooks';
import { TestAuthorGuide } from './test-author-guide';
import { formatCount, formatUtc } from '@/lib/format/display';

export const metadata: Metadata = { title: 'Sandbox' };

const qSchema = z.string().trim().max(300).catch('');
const beforeSchema = z.coerce.number().int().positive().optional().catch(undefined);

function outboxHref(params: { q?: string; before?: number }): string {
  const search = new URLSearchParams();
  if (params.q) search.set('q', params.q);
  if (params.before !== undefined) search.set('before', String(params.before));
  const s = search.toString();
  return s ? `/sandbox?${s}` : '/sandbox';
}

export default async function SandboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireRole('support');
  const env = getEnv();
  if (!env.sandboxServed) notFound();
  const params = await searchParams;
  const q = qSchema.parse(params.q ?? '');
  const before = beforeSchema.parse(params.before);

  const [rows, total, posts] = await Promise.all([
    listOutbox({ limit: OUTBOX_PAGE_SIZE + 1, before, q: q || undefined }),
    outboxCount(),
    listWebhookDeliveries(20),
  ]);
  const page = rows.slice(0, OUTBOX_PAGE_SIZE);
  const older = rows.length > OUTBOX_PAGE_SIZE ? page.at(-1)?.seq : undefined;
  const isAdmin = hasRole(user.role, 'admin');

  return (
    <>
      <PageHeader
        title="Sandbox"
        description="The built-in Sendmux emulator: every message it accepted, and how to make it fail on purpose. Nothing here was delivered to anyone."
        actions={isAdmin ? <ClearOutboxButton count={total} /> : null}
      />
      <div className="grid max-w-6xl grid-cols-[minmax(0,1fr)] gap-6">
        <Card aria-labelledby="outbox-title">
          <CardHeader className="flex-row flex-wrap items-end justify-between gap-3">
            <div className="grid gap-1">
              <CardTitle id="outbox-title">Outbox</CardTitle>
              <CardDescription>
                <span data-testid="outbox-count">
                  {formatCount(total)} message{total === 1 ? '' : 's'}
                </span>{' '}
                accepted{total > 1 ? ', newest first' : ''}
                {q ? <> · showing matches for “{q}”</> : null}
              </CardDescription>
            </div>
            <form
              action="/sandbox"
              method="get"
              role="search"
              aria-label="Outbox"
              className="flex w-full gap-2 sm:w-auto"
            >
              <label htmlFor="outbox-search" className="sr-only">
                Search the outbox
              </label>
              <Input
                id="outbox-search"
                data-page-search
                type="search"
                name="q"
                defaultValue={q}
                placeholder="To, subject, eml_… or req_…"
                className="sm:w-72"
              />
              <Button type="submit" variant="secondary">
                <Search aria-hidden /> Search
              </Button>
              {q ? (
                <Button asChild variant="ghost" size="icon" aria-label="Clear search">
                  <Link href="/sandbox">
                    <X aria-hidden />
                  </Link>
                </Button>
              ) : null}
            </form>
          </CardHeader>
          <CardContent>
            {page.length === 0 ? (
              <EmptyOutbox
                searching={!!q || before !== undefined}
                canSend={hasRole(user.role, 'sender')}
                apiUrl={`${env.appUrl}${SANDBOX_API_PATH}`}
              />
            ) : (
              <>
                <OutboxTable rows={page} />
                <nav aria-label="Outbox pages" className="mt-3 flex items-center justify-between gap-2">
                  {before !== undefined ? (
                    <Button asChild variant="outline" size="sm">
                      <Link href={outboxHref({ q })}>
                        <ChevronLeft aria-hidden /> Newest
                      </Link>
                    </Button>
                  ) : (
                    <span />
                  )}
                  {older !== undefined ? (
                    <Button asChild variant="outline" size="sm">
                      <Link href={outboxHref({ q, before: older })}>
                        Older <ChevronRight aria-hidden />
                      </Link>
                    </Button>
                  ) : null}
                </nav>
              </>
            )}
          </CardContent>
        </Card>
        <ScenarioGuide />
        <WebhookEvents rows={posts} receiverUrl={receiverUrl()} canSendTest={isAdmin} />
        <TestAuthorGuide
          maskedKey={maskKey(getSandboxKey())}
          keySource={env.sandboxApiKey ? 'configured' : 'generated'}
          apiUrl={`${env.appUrl}${SANDBOX_API_PATH}`}
          rateLimit={env.sandboxRateLimit}
        />
      </div>
    </>
  );
}

function OutboxTable({ rows }: { rows: OutboxSummary[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Received</TableHead>
          <TableHead>To / From</TableHead>
          <TableHead>Subject</TableHead>
          <TableHead>request_id</TableHead>
          <TableHead>Idempotency key</TableHead>
          <TableHead className="text-right">
            <Paperclip className="ml-auto size-3.5" aria-hidden />
            <span className="sr-only">Attachments</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((m) => (
          <TableRow key={m.id}>
            <TableCell className="text-muted-foreground font-mono text-xs whitespace-nowrap">
              <time dateTime={m.createdAt.toISOString()}>{formatUtc(m.createdAt.toISOString())}</time>
            </TableCell>
            <TableCell className="max-w-60">
              <p className="truncate" title={m.toEmail}>
                {m.toEmail}
              </p>
              <p className="text-muted-foreground truncate text-xs" title={m.fromEmail}>
                <span className="sr-only">from </span>
                {m.fromEmail}
              </p>
            </TableCell>
            <TableCell className="max-w-96 min-w-56">
              <Link
                href={`/sandbox/${m.id}`}
                className="line-clamp-2 font-medium underline-offset-2 hover:underline"
              >
                {m.subject}
              </Link>
              {m.batchIndex !== null ? (
                <Badge variant="muted" className="mt-1">
                  batch item {m.batchIndex}
                </Badge>
              ) : null}
            </TableCell>
            <TableCell className="font-mono text-xs whitespace-nowrap">{m.requestId}</TableCell>
            <TableCell className="max-w-48 truncate font-mono text-xs" title={m.idempotencyKey ?? undefined}>
              {m.idempotencyKey ?? <span className="text-muted-foreground">none</span>}
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {m.attachmentCount > 0 ? (
                <span>
                  {m.attachmentCount}
                  <span className="sr-only"> attachment{m.attachmentCount === 1 ? '' : 's'}</span>
                </span>
              ) : (
                <span className="text-muted-foreground">
                  –<span className="sr-only">no attachments</span>
                </span>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function EmptyOutbox({
  searching,
  canSend,
  apiUrl,
}: {
  searching: boolean;
  canSend: boolean;
  apiUrl: string;
}) {
  if (searching) {
    return (
      <div className="text-muted-foreground rounded-md border border-dashed p-8 text-center text-sm">
        No message matches. Search looks at To and Subject, or an exact eml_ or req_ id.{' '}
        <Link href="/sandbox" className="text-foreground font-medium underline underline-offset-2">
          Show all
        </Link>
      </div>
    );
  }
  return (
    <div className="grid justify-items-center gap-3 rounded-md border border-dashed p-8 text-center text-sm">
      <Inbox className="text-muted-foreground size-8" aria-hidden />
      <p className="font-medium">The outbox is empty</p>
      <p className="text-muted-foreground max-w-prose">
        {canSend ? 'Send one from Compose' : 'A sender can send one from Compose'}: it appears here exactly as
        the sandbox received it. Tests can also POST to{' '}
        <code className="font-mono text-xs">{apiUrl}/emails/send</code> with the sandbox key.
      </p>
      {canSend ? (
        <Button asChild>
          <Link href="/compose">
            <PenSquare aria-hidden /> Open Compose
          </Link>
        </Button>
      ) : null}
    </div>
  );
}
