import type { Metadata } from 'next';
import Link from 'next/link';
import { ArrowLeft, ArrowRight, Clock, SearchX } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { auditFilterChoices, searchAudit, type AuditEntry } from '@/lib/auth/audit';
import { requireRole } from '@/lib/auth/require-role';
import { getEnv } from '@/lib/env';
import { describeAuditDetail } from '@/lib/format/audit';
import { AUDIT_ACTIONS, auditActionLabel, auditSearchHref, auditSearchSchema } from '@/lib/schemas/audit';
import { parseUtcInput } from '@/lib/schemas/request-log';
import { AuditFilters } from './audit-filters';

export const metadata: Metadata = { title: 'Audit log' };

const REFUSALS = new Set(['sign_in.failure', 'webhook.signature_rejected']);

function Target({ entry }: { entry: AuditEntry }) {
  if (!entry.target) return <span className="text-muted-foreground">—</span>;
  if (entry.action.startsWith('batch.') && entry.action !== 'batch.manual_send')
    return (
      <Link
        className="text-primary font-mono underline-offset-2 hover:underline"
        href={`/batches/${entry.target}`}
      >
        {entry.target}
      </Link>
    );
  return <span className="break-all">{entry.target}</span>;
}

function What({ entry }: { entry: AuditEntry }) {
  const summary = describeAuditDetail(entry.action, entry.detail);
  const requestId = typeof entry.detail?.requestId === 'string' ? entry.detail.requestId : null;
  return (
    <span className="grid gap-0.5">
      <Target entry={entry} />
      {summary ? <span className="text-muted-foreground text-xs break-all">{summary}</span> : null}
      {requestId ? (
        <Link
          className="text-primary text-xs underline-offset-2 hover:underline"
          href={`/requests?q=${encodeURIComponent(requestId)}`}
        >
          Find in the request log
        </Link>
      ) : null}
    </span>
  );
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireRole('admin');
  const params = auditSearchSchema.parse(await searchParams);
  const retentionDays = getEnv().auditRetentionDays;
  const [{ items, nextCursor }, choices] = await Promise.all([
    searchAudit({
      actor: params.actor,
      action: params.action,
      from: parseUtcInput(params.from),
      to: parseUtcInput(params.to, true),
      before: params.before,
    }),
    auditFilterChoices(),
  ]);
  const known = Object.keys(AUDIT_ACTIONS);
  const actions = [...known, ...choices.actions.filter((a) => !known.includes(a))];
  const filtered = Boolean(params.actor || params.action || params.from || params.to);

  return (
    <>
      <PageHeader
        title="Audit log"
        description={
          <>
            Who did what, when and from which address: sign-ins, sends, batch controls, user, template and
            sandbox changes.{' '}
            <span className="inline-flex items-center gap-1">
              <Clock className="size-3.5" aria-hidden /> Entries are kept for {retentionDays} days
              (AUDIT_RETENTION_DAYS).
            </span>
          </>
        }
      />
      <Card className="mb-6">
        <CardContent className="pt-5">
          <AuditFilters
            key={auditSearchHref({ ...params, before: undefined })}
            params={params}
            actions={actions}
            actors={choices.actors}
          />
        </CardContent>
      </Card>

      <section aria-labelledby="audit-results">
        <h2 id="audit-results" className="text-muted-foreground mb-3 text-sm font-medium">
          {items.length === 0
            ? 'No entries'
            : `${items.length}${nextCursor ? '+' : ''} entr${items.length === 1 && !nextCursor ? 'y' : 'ies'}`}
          {filtered ? ' matching the filters' : ''}, newest first{params.before ? ' · older entries' : ''}
        </h2>
        {items.length === 0 ? (
          <Card>
            <CardContent className="flex gap-4 pt-5 text-sm">
              <SearchX className="text-muted-foreground mt-0.5 size-5 shrink-0" aria-hidden />
              <p>
                {filtered
                  ? 'Nothing in the audit log matches these filters. Widen the time range or clear a filter.'
                  : 'The audit log is empty.'}{' '}
                Entries older than {retentionDays} days have been pruned.
              </p>
            </CardContent>
          </Card>
        ) : (
          <Card>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-4">Time (UTC)</TableHead>
                  <TableHead>Who</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead>What</TableHead>
                  <TableHead className="pr-4">Address</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((entry) => (
                  <TableRow key={entry.id} className="align-top">
                    <TableCell className="pl-4 whitespace-nowrap tabular-nums">
                      <span className="block font-medium">{entry.createdAt.slice(11, 19)}</span>
                      <span className="text-muted-foreground block text-xs">
                        {entry.createdAt.slice(0, 10)}
                      </span>
                    </TableCell>
                    <TableCell className="max-w-56 text-sm">
                      {entry.actorEmail ? (
                        <span className="block truncate" title={entry.actorEmail}>
                          {entry.actorEmail}
                        </span>
                      ) : (
                        <span className="text-muted-foreground">
                          {entry.action.startsWith('sign_in.') || entry.action.startsWith('webhook.')
                            ? 'not signed in'
                            : 'the console'}
                        </span>
                      )}
                    </TableCell>
                    <TableCell>
                      <Badge variant={REFUSALS.has(entry.action) ? 'destructive' : 'muted'}>
                        {auditActionLabel(entry.action)}
                      </Badge>
                    </TableCell>
                    <TableCell className="max-w-md text-sm whitespace-normal">
                      <What entry={entry} />
                    </TableCell>
                    <TableCell className="pr-4 font-mono text-xs whitespace-nowrap">
                      {entry.ip ?? <span className="text-muted-foreground">—</span>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Card>
        )}
        <nav aria-label="Audit log pages" className="mt-4 flex flex-wrap gap-2">
          {params.before ? (
            <Button asChild variant="outline" size="sm">
              <Link href={auditSearchHref({ ...params, before: undefined })}>
                <ArrowLeft aria-hidden /> Newest entries
              </Link>
            </Button>
          ) : null}
          {nextCursor ? (
            <Button asChild variant="outline" size="sm">
              <Link href={auditSearchHref({ ...params, before: nextCursor })}>
                Older entries <ArrowRight aria-hidden />
              </Link>
            </Button>
          ) : null}
        </nav>
      </section>
    </>
  );
}
