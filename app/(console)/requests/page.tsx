import type { Metadata } from 'next';
import Link from 'next/link';
import { ArrowLeft, ArrowRight, Clock, SearchX } from 'lucide-react';
import { Card, CardContent } from '@/components/ui/card';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/require-role';
import { hasRole } from '@/lib/auth/roles';
import { getEnv } from '@/lib/env';
import { formatDuration, formatUtc } from '@/lib/requests/format';
import { filtersFromParams, listFilterOptions, searchRequests, type ClassifiedQuery, type RequestListItem } from '@/lib/requests/search';
import { OUTCOME_LABELS, requestSearchHref, requestSearchSchema, type RequestSearchParams } from '@/lib/schemas/request-log';
import { explainError } from '@/lib/sendmux/error-catalog';
import { RequestSearchForm } from './search-form';
import { StatusBadge } from './status-badge';

export const metadata: Metadata = { title: 'Requests' };

function describeQuery(q: ClassifiedQuery): string {
  switch (q.kind) {
    case 'request_id':
      return `request_id ${q.value}`;
    case 'message_id':
      return `message id ${q.value}`;
    case 'address':
      return `recipient address ${q.value} (To, Cc or Bcc)`;
    case 'job':
      return q.chunkNo === undefined ? `batch job ${q.jobId}` : `chunk ${q.chunkNo} of batch job ${q.jobId}`;
    case 'key':
      return `idempotency key (or request_id) “${q.value}”`;
    default:
      return 'every request';
  }
}

function describeFilters(p: RequestSearchParams): string[] {
  const out: string[] = [];
  if (p.outcome) out.push(`outcome: ${OUTCOME_LABELS[p.outcome].toLowerCase()}`);
  if (p.code) out.push(`error code: ${p.code}`);
  if (p.endpoint) out.push(`endpoint: ${p.endpoint}`);
  if (p.profile) out.push(`key profile: ${p.profile}`);
  if (p.user) out.push(`user: ${p.user}`);
  if (p.from) out.push(`from ${p.from.replace('T', ' ')} UTC`);
  if (p.to) out.push(`to ${p.to.replace('T', ' ')} UTC`);
  return out;
}

function hints(q: ClassifiedQuery, retentionDays: number): string[] {
  const out: string[] = [];
  if (q.kind === 'request_id') out.push('Check that the whole id was copied: req_ followed by its 24 characters.');
  if (q.kind === 'message_id') out.push('Only accepted messages have an eml_ id. If the send failed, search for the recipient address instead.');
  if (q.kind === 'address') out.push('Addresses match whole, not in part: check the spelling, or search for the request_id or eml_ id instead.');
  if (q.kind === 'key') out.push('Idempotency keys match exactly, upper and lower case included. A request_id starts with req_ and a message id with eml_.');
  if (q.kind === 'job') out.push('A job whose chunks have not been sent yet has no requests in the log.');
  out.push(`Entries older than ${retentionDays} days have been pruned, and calls made by another console or directly against the API are not in this log.`);
  return out;
}

function Recipients({ item }: { item: RequestListItem }) {
  if (item.recipientCount === 0) return <span className="text-muted-foreground">—</span>;
  const first = item.recipients[0];
  const more = item.recipientCount - 1;
  return (
    <span className="block max-w-44 truncate" title={item.recipients.join(', ') + (item.recipientCount > item.recipients.length ? ', …' : '')}>
      {item.messageCount > 1 ? <span className="text-muted-foreground">{item.messageCount} msgs · </span> : null}
      {first}
      {more > 0 ? <span className="text-muted-foreground"> +{more}</span> : null}
    </span>
  );
}

function BestMatch({ item }: { item: RequestListItem }) {
  const e = item.errorCode ? explainError(item.errorCode) : null;
  return (
    <Card className="mb-6 border-primary/40">
      <CardContent className="flex flex-wrap items-center justify-between gap-4 pt-5">
        <div className="grid gap-1">
          <p className="text-xs font-medium tracking-wide text-muted-foreground uppercase">Exact match</p>
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <span className="font-mono">
              {item.method} {item.path}
            </span>
            <StatusBadge row={item} />
            <span className="text-sm font-normal text-muted-foreground">{formatUtc(item.createdAt)}</span>
          </p>
          {e ? (
            <p className="text-sm">
              <strong>{e.title}.</strong> {e.meaning}
            </p>
          ) : null}
        </div>
        <Button asChild>
          <Link href={`/requests/${item.id}`}>
            Open request <ArrowRight aria-hidden />
          </Link>
        </Button>
      </CardContent>
    </Card>
  );
}

export default async function RequestsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRole('support');
  const params = requestSearchSchema.parse(await searchParams);
  const retentionDays = getEnv().requestLogRetentionDays;
  const [result, options] = await Promise.all([searchRequests(filtersFromParams(params)), listFilterOptions()]);
  const { items, query, nextCursor } = result;
  const filters = describeFilters(params);
  const searching = query.kind !== 'none' || filters.length > 0;
  const exact = !params.before && items.length === 1 && (query.kind === 'request_id' || query.kind === 'message_id') ? items[0] : undefined;

  return (
    <>
      <PageHeader
        title="Requests"
        description={
          <>
            Every call this console made to Sendmux, one row per attempt, newest first.{' '}
            <span className="inline-flex items-center gap-1">
              <Clock className="size-3.5" aria-hidden /> Entries are kept for {retentionDays} days.
            </span>
          </>
        }
      />
      <Card className="mb-6">
        <CardContent className="pt-5">
          <RequestSearchForm key={requestSearchHref({ ...params, before: undefined })} params={params} choices={options} />
        </CardContent>
      </Card>

      {exact ? <BestMatch item={exact} /> : null}

      <section aria-labelledby="results-heading">
        <h2 id="results-heading" className="mb-3 text-sm font-medium text-muted-foreground">
          {searching ? (
            <>
              {items.length === 0 ? 'No requests' : items.length === 1 && !nextCursor ? '1 request' : `${items.length}${nextCursor ? '+' : ''} requests`}
              {query.kind !== 'none' ? ` for ${describeQuery(query)}` : ''}
              {filters.length ? ` · ${filters.join(' · ')}` : ''}
            </>
          ) : (
            'Latest requests'
          )}
          {params.before ? ' · older entries' : ''}
        </h2>

        {items.length === 0 ? (
          <Card>
            <CardContent className="flex gap-4 pt-5">
              <SearchX className="mt-0.5 size-5 shrink-0 text-muted-foreground" aria-hidden />
              {searching ? (
                <div className="grid gap-2 text-sm">
                  <p className="font-medium">
                    {query.kind === 'none' ? `No request has ${filters.join(', ')}` : `Nothing matches ${describeQuery(query)}${filters.length ? ` with ${filters.join(', ')}` : ''}`}
                    {params.before ? ' in older entries' : ''}.
                  </p>
                  <ul className="list-disc space-y-1 pl-5 text-muted-foreground">
                    {filters.length ? (
                      <li>
                        <Link className="text-foreground underline underline-offset-2" href={requestSearchHref({ q: params.q })}>
                          Remove the filters
                        </Link>{' '}
                        and search again.
                      </li>
                    ) : null}
                    {hints(query, retentionDays).map((h) => (
                      <li key={h}>{h}</li>
                    ))}
                  </ul>
                </div>
              ) : (
                <div className="grid gap-2 text-sm">
                  <p className="font-medium">No requests yet.</p>
                  <p className="text-muted-foreground">
                    Every call the console makes to Sendmux — sends from Compose, batch chunks, attachment uploads, connection checks — is logged here with its request_id, so it can be found again.
                    {hasRole(user.role, 'sender') ? (
                      <>
                        {' '}
                        <Link className="text-foreground underline underline-offset-2" href="/compose">
                          Send a test email
                        </Link>{' '}
                        to see one.
                      </>
                    ) : null}
                  </p>
                </div>
              )}
            </CardContent>
          </Card>
        ) : (
          <Card>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Time (UTC)</TableHead>
                  <TableHead>Endpoint</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>request_id</TableHead>
                  <TableHead>Recipients</TableHead>
                  <TableHead>Profile · user</TableHead>
                  <TableHead className="text-right">Duration · attempt</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((item) => (
                  <TableRow key={item.id}>
                    <TableCell className="whitespace-nowrap">
                      <Link href={`/requests/${item.id}`} className="grid leading-tight text-primary underline-offset-2 hover:underline">
                        <span className="font-medium tabular-nums">{item.createdAt.slice(11, 19)}</span>
                        <span className="text-xs text-muted-foreground tabular-nums">{item.createdAt.slice(0, 10)}</span>
                      </Link>
                    </TableCell>
                    <TableCell className="font-mono text-xs whitespace-nowrap">
                      <span className="text-muted-foreground">{item.method}</span> {item.path}
                    </TableCell>
                    <TableCell>
                      <StatusBadge row={item} />
                    </TableCell>
                    <TableCell className="font-mono text-xs whitespace-nowrap">{item.requestId ?? <span className="text-muted-foreground">—</span>}</TableCell>
                    <TableCell className="text-xs">
                      <Recipients item={item} />
                    </TableCell>
                    <TableCell className="text-xs leading-tight">
                      <span className="block">{item.keyProfile}</span>
                      <span className="block max-w-44 truncate text-muted-foreground" title={item.userEmail ?? undefined}>
                        {item.userEmail ?? '—'}
                      </span>
                    </TableCell>
                    <TableCell className="text-right text-xs leading-tight whitespace-nowrap tabular-nums">
                      <span className="block">{item.ok === null ? '—' : formatDuration(item.durationMs)}</span>
                      <span className="block text-muted-foreground">attempt {item.attempt}</span>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Card>
        )}

        {params.before || nextCursor ? (
          <nav aria-label="Pages" className="mt-4 flex items-center justify-between gap-2">
            {params.before ? (
              <Button asChild variant="outline" size="sm">
                <Link href={requestSearchHref({ ...params, before: undefined })}>
                  <ArrowLeft aria-hidden /> Newest
                </Link>
              </Button>
            ) : (
              <span />
            )}
            {nextCursor ? (
              <Button asChild variant="outline" size="sm">
                <Link href={requestSearchHref({ ...params, before: nextCursor })}>
                  Older <ArrowRight aria-hidden />
                </Link>
              </Button>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}
