import type { Metadata } from 'next';
import Link from 'next/link';
import { ArrowLeft, ArrowRight, Clock, SearchX } from 'lucide-react';
import { Card, CardContent } from '@/components/ui/card';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/require-role';
import { hasRole } from '@/lib/schemas/roles';
import { getEnv } from '@/lib/env';
import { endpointLabel, SMTP_ENDPOINT } from '@/lib/format/request-log';
import {
  filtersFromParams,
  listFilterOptions,
  searchRequests,
  type ClassifiedQuery,
  type RequestListItem,
} from '@/lib/requests/search';
import {
  OUTCOME_LABELS,
  requestSearchHref,
  requestSearchSchema,
  type RequestSearchParams,
} from '@/lib/schemas/request-log';
import { explainError } from '@/lib/errors/catalog';
import { ResultsFocus } from './results-focus';
import { RequestSearchForm } from './search-form';
import { StatusBadge } from './status-badge';
import { formatDuration, formatUtc } from '@/lib/format/display';

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
    case 'event':
      return `the message of delivery event “${q.value}”`;
    default:
      return 'every request';
  }
}

/** A management call's query string (search, dates) is long: the list shows it on hover only. */
function PathWithQuery({ path }: { path: string }) {
  const at = path.indexOf('?');
  if (at === -1) return <>{path}</>;
  return (
    <>
      {path.slice(0, at)}
      <span className="text-muted-foreground" title={path.slice(at)}>
        ?…
      </span>
    </>
  );
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
  if (q.kind === 'request_id')
    out.push('Check that the whole id was copied: req_ followed by its 24 characters.');
  if (q.kind === 'message_id')
    out.push(
      'Only accepted messages have an eml_ id. If the send failed, search for the recipient address instead.',
    );
  if (q.kind === 'address')
    out.push(
      'Addresses match whole, not in part: check the spelling, or search for the request_id or eml_ id instead.',
    );
  if (q.kind === 'key')
    out.push(
      'Idempotency keys match exactly, upper and lower case included. A request_id starts with req_ and a message id with eml_.',
    );
  if (q.kind === 'event')
    out.push('An event that was never matched to a send (see Settings → Webhooks) has no requests here.');
  if (q.kind === 'job') out.push('A job whose chunks have not been sent yet has no requests in the log.');
  out.push(
    `Entries older than ${retentionDays} days have been pruned, and calls made by another console or directly against the API are not in this log.`,
  );
  return out;
}

function Recipients({ item }: { item: RequestListItem }) {
  if (item.recipientCount === 0) return <span className="text-muted-foreground">—</span>;
  const first = item.recipients[0];
  const more = item.recipientCount - 1;
  return (
    <span
      className="block max-w-40 truncate"
      title={item.recipients.join(', ') + (item.recipientCount > item.recipients.length ? ', …' : '')}
    >
      {item.messageCount > 1 ? (
        <span className="text-muted-foreground">{item.messageCount} msgs · </span>
      ) : null}
      {first}
      {more > 0 ? <span className="text-muted-foreground"> +{more}</span> : null}
    </span>
  );
}

function BestMatch({ item }: { item: RequestListItem }) {
  const e = item.errorCode ? explainError(item.errorCode) : null;
  return (
    <Card className="border-primary/40 mb-6">
      <CardContent className="flex flex-wrap items-center justify-between gap-4 pt-5">
        <div className="grid gap-1">
          <p className="text-muted-foreground text-xs font-medium tracking-wide uppercase">Exact match</p>
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <span className="font-mono">{endpointLabel(item)}</span>
            <StatusBadge row={item} />
            <span className="text-muted-foreground text-sm font-normal">{formatUtc(item.createdAt)}</span>
          </p>
          {e ? (
            <p className="text-sm">
              <strong>{e.title}.</strong> {e.meaning}
            </p>
          ) : null}
        </div>
        <Button asChild>
          <Link id="best-match-open" href={`/requests/${item.id}`}>
            Open request <ArrowRight aria-hidden />
          </Link>
        </Button>
      </CardContent>
    </Card>
  );
}

export default async function RequestsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireRole('support');
  const params = requestSearchSchema.parse(await searchParams);
  const retentionDays = getEnv().requestLogRetentionDays;
  const [result, options] = await Promise.all([
    searchRequests(filtersFromParams(params)),
    listFilterOptions(),
  ]);
  const { items, query, nextCursor } = result;
  const filters = describeFilters(params);
  const searching = query.kind !== 'none' || filters.length > 0;
  const exact =
    !params.before &&
    items.length === 1 &&
    (query.kind === 'request_id' || query.kind === 'message_id' || query.kind === 'event')
      ? items[0]
      : undefined;

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
          <RequestSearchForm
            key={requestSearchHref({ ...params, before: undefined })}
            params={params}
            choices={options}
          />
        </CardContent>
      </Card>

      {exact ? <BestMatch item={exact} /> : null}

      <section aria-labelledby="results-heading">
        {searching ? (
          <ResultsFocus
            targetId={exact ? 'best-match-open' : 'results-heading'}
            search={requestSearchHref(params)}
          />
        ) : null}
        <h2 id="results-heading" tabIndex={-1} className="text-muted-foreground mb-3 text-sm font-medium">
          {searching ? (
            <>
              {items.length === 0
                ? 'No requests'
                : items.length === 1 && !nextCursor
                  ? '1 request'
                  : `${items.length}${nextCursor ? '+' : ''} requests`}
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
              <SearchX className="text-muted-foreground mt-0.5 size-5 shrink-0" aria-hidden />
              {searching ? (
                <div className="grid gap-2 text-sm">
                  <p className="font-medium">
                    {query.kind === 'none'
                      ? `No request has ${filters.join(', ')}`
                      : `Nothing matches ${describeQuery(query)}${filters.length ? ` with ${filters.join(', ')}` : ''}`}
                    {params.before ? ' in older entries' : ''}.
                  </p>
                  <ul className="text-muted-foreground list-disc space-y-1 pl-5">
                    {filters.length ? (
                      <li>
                        <Link
                          className="text-foreground underline underline-offset-2"
                          href={requestSearchHref({ q: params.q })}
                        >
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
                    Every call the console makes to Sendmux — sends from Compose, batch chunks, attachment
                    uploads, connection checks, SMTP test sends, delivery-log lookups — is logged here with
                    its request_id, so it can be found again.
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
                  <TableHead className="px-2 first:pl-4 last:pr-4">Time (UTC)</TableHead>
                  <TableHead className="px-2 first:pl-4 last:pr-4">Endpoint</TableHead>
                  <TableHead className="px-2 first:pl-4 last:pr-4">Status</TableHead>
                  <TableHead className="px-2 first:pl-4 last:pr-4">request_id</TableHead>
                  <TableHead className="px-2 first:pl-4 last:pr-4">Recipients</TableHead>
                  <TableHead className="px-2 first:pl-4 last:pr-4">Profile · user</TableHead>
                  <TableHead className="px-2 text-right first:pl-4 last:pr-4">Duration</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((item) => (
                  <TableRow key={item.id}>
                    <TableCell className="px-2 whitespace-nowrap first:pl-4 last:pr-4">
                      <Link
                        href={`/requests/${item.id}`}
                        className="text-primary grid leading-tight underline-offset-2 hover:underline"
                      >
                        <span className="font-medium tabular-nums">{item.createdAt.slice(11, 19)}</span>
                        <span className="text-muted-foreground text-xs tabular-nums">
                          {item.createdAt.slice(0, 10)}
                        </span>
                      </Link>
                    </TableCell>
                    <TableCell className="px-2 font-mono text-xs whitespace-nowrap first:pl-4 last:pr-4">
                      {item.method === SMTP_ENDPOINT ? (
                        SMTP_ENDPOINT
                      ) : (
                        <>
                          <span className="text-muted-foreground">{item.method}</span>{' '}
                          <PathWithQuery path={item.path} />
                        </>
                      )}
                    </TableCell>
                    <TableCell className="px-2 first:pl-4 last:pr-4">
                      <StatusBadge row={item} />
                    </TableCell>
                    <TableCell className="px-2 font-mono text-xs whitespace-nowrap first:pl-4 last:pr-4">
                      {item.requestId ?? <span className="text-muted-foreground">—</span>}
                    </TableCell>
                    <TableCell className="px-2 text-xs first:pl-4 last:pr-4">
                      <Recipients item={item} />
                    </TableCell>
                    <TableCell className="px-2 text-xs leading-tight first:pl-4 last:pr-4">
                      <span className="block">{item.keyProfile}</span>
                      <span
                        className="text-muted-foreground block max-w-44 truncate"
                        title={item.userEmail ?? undefined}
                      >
                        {item.userEmail ?? '—'}
                      </span>
                    </TableCell>
                    <TableCell className="px-2 text-right text-xs leading-tight whitespace-nowrap tabular-nums first:pl-4 last:pr-4">
                      <span className="block">
                        {item.ok === null ? '—' : formatDuration(item.durationMs)}
                      </span>
                      <span className="text-muted-foreground block">attempt {item.attempt}</span>
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
