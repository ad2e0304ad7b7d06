'use client';

import { ChevronLeft, ChevronRight } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import { cn } from '@/lib/cn';
import { formatCount } from '@/lib/format/display';
import { formatRowProblem, type PreflightRow } from '@/lib/mail-merge/preflight';
import { RowBadge } from './message-preview';
import { FILTER_IDS, FILTERS, type FilterId } from './preflight-filters';

const PROBLEMS_PER_ROW = 3;

/** The checked rows, a page at a time: exclude any of them, or open one's message. */
export function PreflightRows({
  filter,
  counts,
  rows,
  total,
  page,
  pages,
  selectedLine,
  excluded,
  onFilter,
  onPage,
  onSelect,
  onExclude,
}: {
  filter: FilterId;
  counts: Record<FilterId, number>;
  /** The rows of this page. */
  rows: readonly PreflightRow[];
  /** Rows under the filter, all pages. */
  total: number;
  page: number;
  pages: number;
  selectedLine: number | null;
  excluded: ReadonlySet<number>;
  onFilter: (filter: FilterId) => void;
  onPage: (page: number) => void;
  onSelect: (line: number) => void;
  onExclude: (line: number, exclude: boolean) => void;
}) {
  return (
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
              onChange={(e) => onFilter(e.target.value as FilterId)}
            >
              {FILTER_IDS.map((id) => (
                <option key={id} value={id}>
                  {FILTERS[id].label} ({formatCount(counts[id])})
                </option>
              ))}
            </NativeSelect>
          </div>
        </div>
      </CardHeader>
      <CardContent className="grid gap-3">
        {total === 0 ? (
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
                {rows.map((row) => (
                  <RowLine
                    key={row.line}
                    row={row}
                    selected={selectedLine === row.line}
                    excluded={excluded.has(row.line)}
                    onSelect={onSelect}
                    onExclude={onExclude}
                  />
                ))}
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
              disabled={page === 0}
              onClick={() => onPage(page - 1)}
            >
              <ChevronLeft aria-hidden /> Previous
            </Button>
            <span className="text-muted-foreground tabular-nums">
              Page {page + 1} of {formatCount(pages)}
            </span>
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={page >= pages - 1}
              onClick={() => onPage(page + 1)}
            >
              Next <ChevronRight aria-hidden />
            </Button>
          </nav>
        ) : null}
      </CardContent>
    </Card>
  );
}

function RowLine({
  row,
  selected,
  excluded,
  onSelect,
  onExclude,
}: {
  row: PreflightRow;
  selected: boolean;
  excluded: boolean;
  onSelect: (line: number) => void;
  onExclude: (line: number, exclude: boolean) => void;
}) {
  const problems = [...row.errors, ...row.warnings];
  return (
    <tr
      className={cn('border-b last:border-0', selected && 'shadow-[inset_3px_0_0_0_var(--color-primary)]')}
      aria-current={selected || undefined}
    >
      <td className="px-3 py-2 align-top">
        <input
          type="checkbox"
          className="accent-primary size-4"
          checked={excluded}
          aria-label={`Exclude line ${row.line}`}
          onChange={(e) => onExclude(row.line, e.target.checked)}
        />
      </td>
      <td className="px-3 py-2 align-top tabular-nums">{row.line}</td>
      <td className="max-w-56 truncate px-3 py-2 align-top" title={row.to}>
        {row.to || (
          <span className="text-muted-foreground">{row.status === 'excluded' ? 'excluded' : '—'}</span>
        )}
      </td>
      <td className="px-3 py-2 align-top">
        <div className="grid gap-1">
          <span>
            <RowBadge row={row} />
          </span>
          {problems.slice(0, PROBLEMS_PER_ROW).map((p, i) => (
            <span
              key={i}
              className={cn('text-xs', row.errors.includes(p) ? 'text-destructive' : 'text-muted-foreground')}
            >
              {formatRowProblem(p)}
            </span>
          ))}
          {problems.length > PROBLEMS_PER_ROW ? (
            <span className="text-muted-foreground text-xs">… {problems.length - PROBLEMS_PER_ROW} more</span>
          ) : null}
        </div>
      </td>
      <td className="px-3 py-2 text-right align-top">
        <Button
          type="button"
          size="sm"
          variant={selected ? 'secondary' : 'ghost'}
          onClick={() => onSelect(row.line)}
        >
          View<span className="sr-only"> line {row.line}</span>
        </Button>
      </td>
    </tr>
  );
}
