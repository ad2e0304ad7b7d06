import { AlertTriangle, ExternalLink } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { FieldError } from '@/lib/format/request-log';
import { conflictKind, explainError } from '@/lib/errors/catalog';

const RETRY = {
  yes: { label: 'A retry can help', variant: 'success' },
  later: { label: 'A retry helps only later', variant: 'warning' },
  no: { label: 'A retry will not help', variant: 'destructive' },
} as const;

const CONFLICT_LABEL = {
  changed_body: 'Same key, different message',
  in_flight: 'Same key while the first request was still running',
  unknown: 'Sendmux’s message does not say which of the two cases this is',
} as const;

/** The catalog's account of an error code: what it means, what to do, whether retrying helps. */
export function ErrorExplained({
  code,
  message,
  status,
  retryable,
  docUrl,
  fields,
}: {
  code: string;
  message: string | null;
  status: number | null;
  retryable?: boolean;
  docUrl?: string;
  fields: FieldError[];
}) {
  const e = explainError(code, message);
  const retry = RETRY[e.retry];
  return (
    <Alert variant="destructive" role="region" aria-label="What went wrong">
      <AlertTriangle aria-hidden />
      <AlertTitle className="flex flex-wrap items-center gap-2 text-base">
        <span>{e.title}</span>
        {/* bg-card: the badges' tint on top of the alert's tint would drop below 4.5:1 contrast. */}
        <Badge variant="destructive" className="bg-card font-mono">
          {status !== null ? `${status} ` : ''}
          {code}
        </Badge>
        <Badge variant={retry.variant} className="bg-card">
          {retry.label}
        </Badge>
      </AlertTitle>
      <AlertDescription>
        <dl className="mt-2 grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">What it means</dt>
          <dd>{e.meaning}</dd>
          <dt className="font-medium">What to do</dt>
          <dd>{e.action}</dd>
          <dt className="font-medium">Retry</dt>
          <dd>
            {e.retryNote}
            {retryable !== undefined ? (
              <span className="text-muted-foreground">
                {' '}
                Sendmux marked this error {retryable ? 'retryable' : 'not retryable'}.
              </span>
            ) : null}
          </dd>
          {code === 'idempotency_conflict' ? (
            <>
              <dt className="font-medium">Conflict</dt>
              <dd>{CONFLICT_LABEL[conflictKind(message)]}</dd>
            </>
          ) : null}
          {message ? (
            <>
              <dt className="font-medium">Sendmux said</dt>
              <dd>
                <q>{message}</q>
                {docUrl && /^https:\/\//.test(docUrl) ? (
                  <a
                    href={docUrl}
                    target="_blank"
                    rel="noreferrer"
                    className="ml-2 inline-flex items-center gap-1 underline underline-offset-2"
                  >
                    docs <ExternalLink className="size-3" aria-hidden />
                  </a>
                ) : null}
              </dd>
            </>
          ) : null}
        </dl>
        {fields.length ? (
          <div className="mt-4">
            <p className="mb-1 font-medium">Fields to fix</p>
            <Table className="bg-card rounded-md border">
              <TableHeader>
                <TableRow>
                  <TableHead>Field</TableHead>
                  <TableHead>Code</TableHead>
                  <TableHead>Problem</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {fields.map((f, i) => (
                  <TableRow key={`${f.field}-${i}`}>
                    <TableCell className="font-mono text-xs">{f.field}</TableCell>
                    <TableCell className="font-mono text-xs">{f.code || '—'}</TableCell>
                    <TableCell>{f.message || '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ) : null}
      </AlertDescription>
    </Alert>
  );
}
