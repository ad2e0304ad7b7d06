'use client';

import {
  ArrowLeft,
  ArrowRight,
  ChevronLeft,
  ChevronRight,
  CircleAlert,
  Download,
  TriangleAlert,
} from 'lucide-react';
import { useMemo, useState } from 'react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import type { ParsedCsv } from '@/lib/mail-merge/csv';
import type { BatchSpec } from '@/lib/mail-merge/mapping';
import {
  errorsCsv,
  formatRowProblem,
  type PreflightResult,
  type PreflightRow,
} from '@/lib/mail-merge/preflight';
import { cn } from '@/lib/cn';
import { MessagePreview, RowBadge } from './message-preview';
import { formatBytes, formatCount } from '@/lib/format/display';

type SetSpec = (update: (spec: BatchSpec) => BatchSpec) => void;

const FILTERS = {
  all: { label: 'All rows', test: () => true },
  errors: { label: 'Rows with errors', test: (r: PreflightRow) => r.status === 'invalid' },
  empty: {
    label: 'Rows with empty variables',
    test: (r: PreflightRow) => r.warnings.some((w) => w.kind === 'empty_variable'),
  },
  duplicates: { label: 'Duplicate To addresses', test: (r: PreflightRow) => r.duplicateOfLine !== null },
  warnings: {
    label: 'Rows with warnings',
    test: (r: PreflightRow) => r.status !== 'excluded' && r.warnings.length > 0,
  },
  excluded: { label: 'Excluded rows', test: (r: PreflightRow) => r.status === 'excluded' },
} as const;
type FilterId = keyof typeof FILTERS;

const PAGE = 50;

function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function PreviewStep({
  parsed,
  spec,
  setSpec,
  result,
  onBack,
  onNext,
}: {
  parsed: ParsedCsv;
  spec: BatchSpec;
  setSpec: SetSpec;
  result: PreflightResult;
  onBack: () => void;
  onNext: () => void;
}) {
  const { plan } = result;
  const [filter, setFilter] = useState<FilterId>(plan.invalid > 0 ? 'errors' : 'all');
  const [page, setPage] = useState(0);
  const [selectedLine, setSelectedLine] = useState<number | null>(null);

  const counts = useMemo(() => {
    const c = {} as Record<FilterId, number>;
    for (const id of Object.keys(FILTERS) as FilterId[])
      c[id] = id === 'all' ? result.rows.length : result.rows.filter(FILTERS[id].test).length;
    return c;
  }, [result]);
  const list = useMemo(() => result.rows.filter(FILTERS[filter].test), [result, filter]);
  const pages = Math.max(1, Math.ceil(list.length / PAGE));
  const currentPage = Math.min(page, pages - 1);
  const shown = list.slice(currentPage * PAGE, currentPage * PAGE + PAGE);
  const selectedAt = selectedLine === null ? -1 : list.findIndex((r) => r.line === selectedLine);
  const selected = list[selectedAt === -1 ? 0 : selectedAt];
  const position = selectedAt === -1 ? 0 : selectedAt;

  const errorsSpec = result.problems.filter((p) => p.severity === 'error');
  const warningsSpec = result.problems.filter((p) => p.severity === 'warning');
  const excludedSet = new Set(spec.excludedLines);

  const setExcluded = (lines: number[], exclude: boolean) =>
    setSpec((s) => {
      const set = new Set(s.excludedLines);
      for (const l of lines) {
        if (exclude) set.add(l);
        else set.delete(l);
      }
      return { ...s, excludedLines: [...set].sort((a, b) => a - b) };
    });

  function select(i: number) {
    const row = list[i];
    if (!row) return;
    setSelectedLine(row.line);
    setPage(Math.floor(i / PAGE));
  }

  return (
    <div className="grid gap-5">
      <Card aria-labelledby="plan-heading">
        <CardHeader>
          <CardTitle id="plan-heading">3. Preview and preflight</CardTitle>
          <CardDescription>
            Every row was merged and checked with the same rules as Compose. Nothing has been sent.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <p className="text-base" data-testid="plan">
            <strong className="tabular-nums">{formatCount(plan.messages)}</strong>{' '}
            {plan.messages === 1 ? 'message' : 'messages'} in{' '}
            <strong className="tabular-nums">{formatCount(plan.requests)}</strong>{' '}
            {plan.requests === 1 ? 'request' : 'requests'} of ≤ {plan.requestSize}, total encoded size{' '}
            <strong>{formatBytes(plan.totalBytes)}</strong>
            {plan.requests ? (
              <span className="text-muted-foreground text-sm">
                {' '}
                (largest request {formatBytes(plan.largestRequestBytes)})
              </span>
            ) : null}
          </p>
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3 lg:grid-cols-6">
            <Stat label="Rows in the file" value={formatCount(plan.rows)} />
            <Stat label="Ready to send" value={formatCount(plan.valid)} tone="text-success" />
            <Stat
              label="With errors"
              value={formatCount(plan.invalid)}
              tone={plan.invalid ? 'text-destructive' : undefined}
            />
            <Stat label="Excluded" value={formatCount(plan.excluded)} />
            <Stat
              label="Empty variables"
              value={formatCount(plan.withEmptyVariables)}
              tone={plan.withEmptyVariables ? 'text-warning' : undefined}
            />
            <Stat
              label="Duplicate To"
              value={formatCount(plan.duplicates)}
              tone={plan.duplicates ? 'text-warning' : undefined}
            />
          </dl>
          {errorsSpec.length ? (
            <Alert variant="destructive">
              <CircleAlert aria-hidden />
              <AlertTitle>
                Fix {errorsSpec.length === 1 ? 'this' : `these ${errorsSpec.length}`} before sending
              </AlertTitle>
              <AlertDescription>
                <ul className="list-disc pl-4">
                  {errorsSpec.map((p, i) => (
                    <li key={i}>{p.message}</li>
                  ))}
                </ul>
                <Button type="button" size="sm" variant="outline" className="mt-2" onClick={onBack}>
                  <ArrowLeft aria-hidden /> Back to the mapping
                </Button>
              </AlertDescription>
            </Alert>
          ) : null}
          {warningsSpec.length ? (
            <Alert variant="warning">
              <TriangleAlert aria-hidden />
              <AlertTitle>Worth a look</AlertTitle>
              <AlertDescription>
                <ul className="list-disc pl-4">
                  {warningsSpec.map((p, i) => (
                    <li key={i}>{p.message}</li>
                  ))}
                </ul>
              </AlertDescription>
            </Alert>
          ) : null}
          <div className="flex flex-wrap gap-2">
            {plan.invalid ? (
              <Button
                type="button"
                variant="outline"
                size="sm"
                onClick={() =>
                  setExcluded(
                    result.rows.filter((r) => r.status === 'invalid').map((r) => r.line),
                    true,
                  )
                }
              >
                Exclude the {formatCount(plan.invalid)} {plan.invalid === 1 ? 'row' : 'rows'} with errors
              </Button>
            ) : null}
            {plan.duplicates ? (
              <Button
                type="button"
                variant="outline"
                size="sm"
                onClick={() =>
                  setExcluded(
                    result.rows.filter((r) => r.duplicateOfLine !== null).map((r) => r.line),
                    true,
                  )
                }
              >
                Exclude the {formatCount(plan.duplicates)} duplicate {plan.duplicates === 1 ? 'row' : 'rows'}
              </Button>
            ) : null}
            {plan.excluded ? (
              <Button
                type="button"
                variant="outline"
                size="sm"
                onClick={() => setSpec((s) => ({ ...s, excludedLines: [] }))}
              >
                Include the {formatCount(plan.excluded)} excluded {plan.excluded === 1 ? 'row' : 'rows'} again
              </Button>
            ) : null}
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={plan.invalid === 0 && plan.withWarnings === 0}
              onClick={() => download(errorsCsv(result, { includeWarnings: true }), 'preflight-errors.csv')}
            >
              <Download aria-hidden /> Download errors as CSV
            </Button>
          </div>
        </CardContent>
      </Card>

      <div className="grid items-start gap-5 2xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <Card aria-labelledby="rows-check-heading">
          <CardHeader className="gap-3">
            <CardTitle id="rows-check-heading">Rows</CardTitle>
            <div className="flex flex-wrap items-end gap-3">
              <div className="grid gap-1.5">
                <Label htmlFor="preflight-filter">Show</Label>
                <NativeSelect
                  id="preflight-filter"
                  className="w-72"
                  value={filter}
                  onChange={(e) => {
                    setFilter(e.target.value as FilterId);
                    setPage(0);
                    setSelectedLine(null);
                  }}
                >
                  {(Object.keys(FILTERS) as FilterId[]).map((id) => (
                    <option key={id} value={id}>
                      {FILTERS[id].label} ({formatCount(counts[id])})
                    </option>
                  ))}
                </NativeSelect>
              </div>
            </div>
          </CardHeader>
          <CardContent className="grid gap-3">
            {list.length === 0 ? (
              <p className="text-muted-foreground text-sm">No rows here.</p>
            ) : (
              <div className="overflow-x-auto rounded-md border">
                <table className="w-full text-sm">
                  <caption className="sr-only">
                    {FILTERS[filter].label}: tick a row to exclude it from the batch
                  </caption>
                  <thead>
                    <tr className="text-muted-foreground border-b text-left text-xs">
                      <th scope="col" className="w-20 px-3 py-2 font-medium">
                        Exclude
                      </th>
                      <th scope="col" className="w-16 px-3 py-2 font-medium">
                        Line
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        To
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        Check
                      </th>
                      <th scope="col" className="w-24 px-3 py-2 font-medium">
                        <span className="sr-only">Preview</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((row) => {
                      const isSelected = selected?.line === row.line;
                      const problems = [...row.errors, ...row.warnings];
                      return (
                        <tr
                          key={row.line}
                          className={cn(
                            'border-b last:border-0',
                            isSelected && 'shadow-[inset_3px_0_0_0_var(--color-primary)]',
                          )}
                          aria-current={isSelected || undefined}
                        >
                          <td className="px-3 py-2 align-top">
                            <input
                              type="checkbox"
                              className="accent-primary size-4"
                              checked={excludedSet.has(row.line)}
                              aria-label={`Exclude line ${row.line}`}
                              onChange={(e) => setExcluded([row.line], e.target.checked)}
                            />
                          </td>
                          <td className="px-3 py-2 align-top tabular-nums">{row.line}</td>
                          <td className="max-w-56 truncate px-3 py-2 align-top" title={row.to}>
                            {row.to || (
                              <span className="text-muted-foreground">
                                {row.status === 'excluded' ? 'excluded' : '—'}
                              </span>
                            )}
                          </td>
                          <td className="px-3 py-2 align-top">
                            <div className="grid gap-1">
                              <span>
                                <RowBadge row={row} />
                              </span>
                              {problems.slice(0, 3).map((p, i) => (
                                <span
                                  key={i}
                                  className={cn(
                                    'text-xs',
                                    row.errors.includes(p) ? 'text-destructive' : 'text-muted-foreground',
                                  )}
                                >
                                  {formatRowProblem(p)}
                                </span>
                              ))}
                              {problems.length > 3 ? (
                                <span className="text-muted-foreground text-xs">
                                  … {problems.length - 3} more
                                </span>
                              ) : null}
                            </div>
                          </td>
                          <td className="px-3 py-2 text-right align-top">
                            <Button
                              type="button"
                              size="sm"
                              variant={isSelected ? 'secondary' : 'ghost'}
                              onClick={() => setSelectedLine(row.line)}
                            >
                              View<span className="sr-only"> line {row.line}</span>
                            </Button>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
            {pages > 1 ? (
              <nav aria-label="Pages of rows" className="flex items-center justify-between gap-2 text-sm">
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  disabled={currentPage === 0}
                  onClick={() => setPage(currentPage - 1)}
                >
                  <ChevronLeft aria-hidden /> Previous
                </Button>
                <span className="text-muted-foreground tabular-nums">
                  Page {currentPage + 1} of {formatCount(pages)}
                </span>
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  disabled={currentPage >= pages - 1}
                  onClick={() => setPage(currentPage + 1)}
                >
                  Next <ChevronRight aria-hidden />
                </Button>
              </nav>
            ) : null}
          </CardContent>
        </Card>

        <Card aria-labelledby="message-preview-heading" className="2xl:sticky 2xl:top-4">
          <CardHeader className="gap-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <CardTitle id="message-preview-heading">
                {selected ? `Message for line ${selected.line}` : 'Message'}
              </CardTitle>
              {list.length ? (
                <div className="flex items-center gap-1">
                  <Button
                    type="button"
                    variant="outline"
                    size="sm"
                    disabled={position === 0}
                    onClick={() => select(position - 1)}
                  >
                    <ChevronLeft aria-hidden /> Previous row
                  </Button>
                  <span className="text-muted-foreground px-1 text-xs tabular-nums">
                    {formatCount(position + 1)} / {formatCount(list.length)}
                  </span>
                  <Button
                    type="button"
                    variant="outline"
                    size="sm"
                    disabled={position >= list.length - 1}
                    onClick={() => select(position + 1)}
                  >
                    Next row <ChevronRight aria-hidden />
                  </Button>
                </div>
              ) : null}
            </div>
          </CardHeader>
          <CardContent>
            {selected ? (
              <MessagePreview parsed={parsed} spec={spec} row={selected} />
            ) : (
              <p className="text-muted-foreground text-sm">Choose a row to see its message.</p>
            )}
          </CardContent>
        </Card>
      </div>

      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" onClick={onBack}>
          <ArrowLeft aria-hidden /> Back to mapping
        </Button>
        <Button type="button" onClick={onNext}>
          Next: name and send <ArrowRight aria-hidden />
        </Button>
      </div>
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className="grid gap-0.5">
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd className={cn('text-lg font-semibold tabular-nums', tone)}>{value}</dd>
    </div>
  );
}
