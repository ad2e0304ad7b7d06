'use client';

import {
  ArrowRight,
  CloudUpload,
  Download,
  FileSpreadsheet,
  Loader2,
  RotateCw,
  TriangleAlert,
} from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useTransition } from 'react';
import { toast } from 'sonner';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import {
  CSV_DELIMITERS,
  DELIMITER_LABELS,
  MAX_CSV_BYTES,
  MAX_JOB_ROWS,
  type CsvDelimiter,
} from '@/lib/schemas/batch-values';
import { retryFailedRowsAction } from '../[id]/actions';
import { WarnBadge } from '@/components/warn-badge';
import type { CsvRow, CsvRowList } from '@/lib/mail-merge/csv';
import type { LoadedCsv, ResultsOffer } from './wizard-types';
import { FileDropZone, FilePickerInput } from '@/components/file-picker';
import { NoticeAlert, type Notice } from '@/components/notice-alert';
import { formatBytes, formatCount } from '@/lib/format/display';

const PREVIEW_ROWS = 8;
const PROBLEMS_SHOWN = 100;

function firstRows(rows: CsvRowList, n: number): CsvRow[] {
  const out: CsvRow[] = [];
  for (let i = 0; i < Math.min(n, rows.length); i++) out.push(rows.at(i)!);
  return out;
}

const DELIMITER_NAMES: Record<CsvDelimiter, string> = {
  ',': 'Comma ( , )',
  ';': 'Semicolon ( ; )',
  '\t': 'Tab',
  '|': 'Pipe ( | )',
};

/** Step 1: the file, how it was read (rows, encoding, delimiter), its problems and first rows. */
export function UploadStep({
  loaded,
  parsing,
  error,
  notice,
  resultsOffer,
  onFile,
  onDelimiter,
  onLoadFailedRows,
  onDismissResults,
  onNext,
}: {
  loaded: LoadedCsv | null;
  parsing: boolean;
  error: string | null;
  notice: Notice | null;
  resultsOffer: ResultsOffer | null;
  onFile: (file: File) => void;
  onDelimiter: (d: CsvDelimiter) => void;
  onLoadFailedRows: (offer: ResultsOffer) => void;
  onDismissResults: () => void;
  onNext: () => void;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const pickFirst = (files: File[]) => files[0] && onFile(files[0]);
  const parsed = loaded?.parsed;
  const errors = parsed?.problems.filter((p) => p.severity === 'error') ?? [];
  const warnings = parsed?.problems.filter((p) => p.severity === 'warning') ?? [];
  // The file button is disabled while the file is read, which drops its focus: the file's heading takes it.
  const loadedFile = loaded?.file;
  useEffect(() => {
    if (loadedFile && (!document.activeElement || document.activeElement === document.body))
      document.getElementById('file-heading')?.focus();
  }, [loadedFile]);

  return (
    <div className="grid gap-5">
      <Card aria-labelledby="upload-heading">
        <CardHeader>
          <CardTitle id="upload-heading" tabIndex={-1} data-step-heading>
            1. Upload the recipients
          </CardTitle>
          <CardDescription>
            A .csv, .tsv or .txt file with a header line and up to {MAX_JOB_ROWS.toLocaleString('en-US')}{' '}
            rows, at most {MAX_CSV_BYTES / 1_000_000} MB. Comma, semicolon, tab or pipe delimited; UTF-8 with
            or without BOM (Windows-1252 is read too). It is parsed in your browser to preview it; the server
            reads the file again when you send.{' '}
            <a
              href="/sample-recipients.csv"
              download
              className="text-primary inline-flex items-center gap-1 underline underline-offset-2"
            >
              <Download className="size-3.5" aria-hidden />
              Download a sample CSV
            </a>{' '}
            with every column the mapping step reads and {'{{variable}}'} columns to start from.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <FileDropZone invalid={!!error} className="p-8" onFiles={pickFirst}>
            {parsing ? (
              <Loader2 className="size-7 animate-spin" aria-hidden />
            ) : (
              <CloudUpload className="size-7" aria-hidden />
            )}
            <p>
              {parsing
                ? 'Reading the file…'
                : loaded
                  ? 'Drop a fixed or different file here to replace it, or'
                  : 'Drop a CSV file here, or'}
            </p>
            <FilePickerInput
              ref={inputRef}
              id="csv-input"
              label="Choose a CSV file"
              accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
              onFiles={pickFirst}
            />
            <Button
              type="button"
              variant="outline"
              onClick={() => inputRef.current?.click()}
              disabled={parsing}
            >
              <FileSpreadsheet aria-hidden /> {loaded ? 'Choose another file' : 'Choose a file'}
            </Button>
          </FileDropZone>
          <div aria-live="polite" className="grid gap-3">
            {error ? (
              <Alert variant="destructive">
                <TriangleAlert aria-hidden />
                <AlertTitle>The file was not loaded</AlertTitle>
                <AlertDescription>{error}</AlertDescription>
              </Alert>
            ) : null}
            {notice ? <NoticeAlert notice={notice} /> : null}
            {resultsOffer ? (
              <ResultsOfferCard
                offer={resultsOffer}
                onLoadFailedRows={onLoadFailedRows}
                onDismiss={onDismissResults}
              />
            ) : null}
          </div>
        </CardContent>
      </Card>

      {loaded && parsed ? (
        <Card aria-labelledby="file-heading">
          <CardHeader>
            <CardTitle id="file-heading" tabIndex={-1} className="flex flex-wrap items-center gap-2">
              {loaded.file.name}
              <Badge variant="muted">{formatBytes(loaded.file.size)}</Badge>
            </CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            <div className="flex flex-wrap items-end gap-x-8 gap-y-3">
              <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
                <div>
                  <dt className="text-muted-foreground text-xs">Rows</dt>
                  <dd className="text-lg font-semibold tabular-nums">{formatCount(parsed.rows.length)}</dd>
                </div>
                <div>
                  <dt className="text-muted-foreground text-xs">Columns</dt>
                  <dd className="text-lg font-semibold tabular-nums">{parsed.columns.length}</dd>
                </div>
                <div>
                  <dt className="text-muted-foreground text-xs">Encoding</dt>
                  <dd className="pt-1">
                    {loaded.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252'}
                    {loaded.bom ? ' with BOM' : ''}
                  </dd>
                </div>
              </dl>
              <div className="grid gap-1.5">
                <Label htmlFor="csv-delimiter">Delimiter</Label>
                <NativeSelect
                  id="csv-delimiter"
                  className="w-56"
                  value={parsed.delimiter}
                  onChange={(e) => onDelimiter(e.target.value as CsvDelimiter)}
                  disabled={parsing}
                  aria-describedby="csv-delimiter-hint"
                >
                  {CSV_DELIMITERS.map((d) => (
                    <option key={d} value={d}>
                      {DELIMITER_NAMES[d]}
                    </option>
                  ))}
                </NativeSelect>
                <span id="csv-delimiter-hint" className="text-muted-foreground text-xs">
                  {loaded.delimiterChoice
                    ? 'Chosen by you'
                    : `Detected: ${DELIMITER_LABELS[parsed.delimiter]}`}
                </span>
              </div>
            </div>

            {errors.length || warnings.length ? (
              <section aria-labelledby="csv-problems-heading" className="grid gap-2">
                <h3 id="csv-problems-heading" className="text-sm font-semibold">
                  {errors.length
                    ? `${formatCount(errors.length)} ${errors.length === 1 ? 'problem' : 'problems'}`
                    : ''}
                  {errors.length && warnings.length ? ' and ' : ''}
                  {warnings.length
                    ? `${formatCount(warnings.length)} ${warnings.length === 1 ? 'warning' : 'warnings'}`
                    : ''}{' '}
                  in the file
                </h3>
                <ul className="grid max-h-64 gap-1 overflow-y-auto rounded-md border p-2 text-sm">
                  {[...errors, ...warnings].slice(0, PROBLEMS_SHOWN).map((p, i) => (
                    <li key={`${p.line}-${p.kind}-${i}`} className="flex gap-2">
                      {p.severity === 'error' ? (
                        <Badge variant="destructive" className="shrink-0">
                          line {p.line}
                        </Badge>
                      ) : (
                        <WarnBadge className="shrink-0">line {p.line}</WarnBadge>
                      )}
                      <span>{p.message}</span>
                    </li>
                  ))}
                  {errors.length + warnings.length > PROBLEMS_SHOWN ? (
                    <li className="text-muted-foreground">
                      … and {formatCount(errors.length + warnings.length - PROBLEMS_SHOWN)} more, all listed
                      again in the preflight.
                    </li>
                  ) : null}
                </ul>
                {errors.length ? (
                  <p className="text-muted-foreground text-xs">
                    Rows with problems can be excluded in the preflight, or fix the file and upload it again:
                    the mapping is kept.
                  </p>
                ) : null}
              </section>
            ) : (
              <p className="text-success text-sm">No problems found in the file.</p>
            )}

            <section aria-labelledby="first-rows-heading" className="grid gap-2">
              <h3 id="first-rows-heading" className="text-sm font-semibold">
                First {Math.min(PREVIEW_ROWS, parsed.rows.length)} rows
              </h3>
              <div className="max-w-full overflow-x-auto rounded-md border">
                <Table className="text-xs">
                  <TableHeader>
                    <TableRow>
                      <TableHead className="w-14">Line</TableHead>
                      {parsed.columns.map((c) => (
                        <TableHead key={c} className="whitespace-nowrap">
                          {c}
                        </TableHead>
                      ))}
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {firstRows(parsed.rows, PREVIEW_ROWS).map((row) => (
                      <TableRow key={row.line}>
                        <TableCell className="text-muted-foreground tabular-nums">{row.line}</TableCell>
                        {parsed.columns.map((c) => (
                          <TableCell
                            key={c}
                            className="max-w-56 truncate whitespace-pre"
                            title={row.values[c]}
                          >
                            {row.values[c]}
                          </TableCell>
                        ))}
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            </section>
            <div>
              <Button type="button" onClick={onNext} disabled={parsing || parsed.columns.length === 0}>
                Next: map the columns <ArrowRight aria-hidden />
              </Button>
            </div>
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}

function ResultsOfferCard({
  offer,
  onLoadFailedRows,
  onDismiss,
}: {
  offer: ResultsOffer;
  onLoadFailedRows: (offer: ResultsOffer) => void;
  onDismiss: () => void;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const failed = offer.failed.rows.length;
  const job = offer.job;

  function retryOnJob() {
    if (!job) return;
    startTransition(async () => {
      const result = await retryFailedRowsAction({ jobId: job.id });
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      const sent = result.data.retriedRows + result.data.reopenedRows;
      toast.success(
        sent
          ? `${formatCount(sent)} failed rows of “${job.name}” are being sent again`
          : 'None of the failed rows can be fixed by a retry; the job page lists what to change',
      );
      router.push(`/batches/${job.id}`);
    });
  }

  return (
    <Alert>
      <RotateCw aria-hidden />
      <AlertTitle>
        This is a results CSV:{' '}
        {failed === 0
          ? 'none of its rows failed'
          : `${formatCount(failed)} of its ${formatCount(offer.total)} rows failed`}
      </AlertTitle>
      <AlertDescription className="grid gap-3">
        {job ? (
          <p>
            Its idempotency keys belong to the job <strong>{job.name}</strong> on this console (
            {formatCount(job.failed)} rows failed there now). Retrying on the job re-sends only its failed
            rows under new keys, so nothing already queued goes out twice.
          </p>
        ) : (
          <p>
            Its job is not on this console. You can load its failed rows as a new CSV and send them as a new
            batch.
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          {job && job.failed > 0 && job.status !== 'cancelled' ? (
            <Button type="button" size="sm" onClick={retryOnJob} disabled={pending}>
              {pending ? <Loader2 className="animate-spin" aria-hidden /> : <RotateCw aria-hidden />}
              Retry the failed rows of “{job.name}”
            </Button>
          ) : null}
          {job ? (
            <Button
              type="button"
              size="sm"
              variant="outline"
              onClick={() => router.push(`/batches/${job.id}`)}
            >
              Open the job
            </Button>
          ) : null}
          {failed > 0 ? (
            <Button
              type="button"
              size="sm"
              variant={job ? 'outline' : 'default'}
              onClick={() => onLoadFailedRows(offer)}
            >
              Load the {formatCount(failed)} failed rows as a new CSV
            </Button>
          ) : null}
          <Button type="button" size="sm" variant="ghost" onClick={onDismiss}>
            Use the file as it is
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  );
}
