'use client';

import { EmailFrame } from '@/components/email-frame';
import { Badge } from '@/components/ui/badge';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import type { CsvTable } from '@/lib/mail-merge/csv';
import type { BatchSpec } from '@/lib/mail-merge/mapping';
import { mergeRow } from '@/lib/mail-merge/merge';
import { formatRowProblem, type PreflightRow } from '@/lib/mail-merge/preflight';
import { formatRecipientList } from '@/lib/mail-merge/recipients';
import { WarnBadge } from '@/components/warn-badge';
import { formatBytes } from '@/lib/format/display';

function address(a: { email: string; name: string }): string {
  if (!a.email && !a.name) return '';
  return a.name ? `${a.name} <${a.email}>` : a.email;
}

/** One row's rendered message, as it would be sent. */
export function MessagePreview({
  parsed,
  spec,
  row,
}: {
  parsed: CsvTable;
  spec: BatchSpec;
  row: PreflightRow;
}) {
  const csvRow = parsed.rows.at(row.index);
  if (!csvRow) return null;
  const { message } = mergeRow(csvRow, spec, parsed.columns);
  const fields: [string, string][] = [
    ['From', address(message.from)],
    ['To', address(message.to)],
    ['Cc', formatRecipientList(message.cc)],
    ['Bcc', formatRecipientList(message.bcc)],
    ['Reply-To', address(message.replyTo)],
    ['Return-Path', message.returnPath],
    ['Subject', message.subject],
    ...message.headers.map((h): [string, string] => [h.name, h.value]),
    ...(message.attachments.length
      ? [
          [
            'Attachments',
            message.attachments.map((a) => `${a.filename} (${formatBytes(a.size)})`).join(', '),
          ] as [string, string],
        ]
      : []),
  ];
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-2">
        <RowBadge row={row} />
        {row.wireBytes ? (
          <span className="text-muted-foreground text-xs">{formatBytes(row.wireBytes)} encoded</span>
        ) : null}
      </div>
      {row.errors.length || row.warnings.length ? (
        <ul className="grid gap-1 text-sm" aria-label={`Problems on line ${row.line}`}>
          {row.errors.map((p, i) => (
            <li key={`e${i}`} className="text-destructive">
              {formatRowProblem(p)}
              {p.column ? <span className="text-muted-foreground"> (column “{p.column}”)</span> : null}
            </li>
          ))}
          {row.warnings.map((p, i) => (
            <li key={`w${i}`} className="text-warning">
              {formatRowProblem(p)}
            </li>
          ))}
        </ul>
      ) : null}
      <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
        {fields
          .filter(([, v]) => v !== '')
          .map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-muted-foreground">{k}</dt>
              <dd className="break-words whitespace-pre-wrap">{v}</dd>
            </div>
          ))}
      </dl>
      <Tabs defaultValue="html">
        <TabsList aria-label="Body">
          <TabsTrigger value="html">HTML</TabsTrigger>
          <TabsTrigger value="text">Text</TabsTrigger>
        </TabsList>
        <TabsContent value="html">
          {message.htmlBody.trim() ? (
            <EmailFrame
              html={message.htmlBody}
              title={`HTML body for line ${row.line}`}
              className="h-[420px]"
            />
          ) : (
            <p className="text-muted-foreground rounded-lg border border-dashed p-6 text-center text-sm">
              No HTML body: Sendmux requires one.
            </p>
          )}
        </TabsContent>
        <TabsContent value="text">
          {message.textBody ? (
            <pre className="bg-card max-h-[420px] overflow-auto rounded-lg border p-3 font-mono text-xs whitespace-pre-wrap">
              {message.textBody}
            </pre>
          ) : (
            <p className="text-muted-foreground rounded-lg border border-dashed p-6 text-center text-sm">
              No text body.
            </p>
          )}
        </TabsContent>
      </Tabs>
    </div>
  );
}

export function RowBadge({ row }: { row: PreflightRow }) {
  if (row.status === 'excluded') return <Badge variant="muted">Excluded</Badge>;
  if (row.status === 'invalid')
    return (
      <Badge variant="destructive">
        {row.errors.length === 1 ? '1 error' : `${row.errors.length} errors`}
      </Badge>
    );
  if (row.duplicateOfLine !== null) return <WarnBadge>Duplicate of line {row.duplicateOfLine}</WarnBadge>;
  if (row.warnings.length)
    return (
      <WarnBadge>
        Ready, with {row.warnings.length === 1 ? 'a warning' : `${row.warnings.length} warnings`}
      </WarnBadge>
    );
  return <Badge variant="success">Ready</Badge>;
}
