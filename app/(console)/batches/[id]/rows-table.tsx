'use client';

import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { PenSquare } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useMemo, useRef } from 'react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import type { ErrorCodeCount } from '@/lib/batch/job-types';
import type { JobRowsSearch as Filters } from '@/lib/schemas/batch';
import type { RowStatusFilter } from '@/lib/schemas/batch-values';
import type { JobRowDto, JobRowsPage } from '@/lib/batch/dto';
import { formatCount } from '@/lib/format/display';
import { RowDelivery } from './delivery-filter';
import { filterParams, RowsFilters, STATUS_LABELS } from './rows-filters';

// Rows come from the rows route a page at a time as they scroll into view. Unfiltered, row
// numbers run 1..N without gaps, so any page can be fetched directly (cursor = page × size) and
// dragging the scrollbar to row 90,000 loads just that page. Filtered, pages follow each other
// through the keyset cursor.

const PAGE = 100;
const FILTERED_PAGE = 500;
const ROW_HEIGHT = 53;
const HEADER_HEIGHT = 37;

const STATUS_VARIANT: Record<RowStatusFilter, 'success' | 'destructive' | 'muted' | 'default'> = {
  queued: 'success',
  failed: 'destructive',
  pending: 'muted',
  sending: 'default',
  cancelled: 'muted',
};

function pageUrl(jobId: string, filters: Filters, cursor: number, limit: number): string {
  const sp = filterParams(filters);
  sp.set('cursor', String(cursor));
  sp.set('limit', String(limit));
  return `/api/batches/${jobId}/rows?${sp}`;
}

async function fetchPage(
  jobId: string,
  filters: Filters,
  cursor: number,
  limit: number,
): Promise<JobRowsPage> {
  const res = await fetch(pageUrl(jobId, filters, cursor, limit), { cache: 'no-store' });
  if (!res.ok) throw new Error(`The console answered ${res.status}`);
  return (await res.json()) as JobRowsPage;
}

const column = createColumnHelper<JobRowDto>();

const BASE_COLUMNS = [
  column.accessor('csvLine', {
    header: 'Line',
    cell: (c) => <span className="tabular-nums">{c.getValue()}</span>,
  }),
  column.accessor('toEmail', {
    header: 'To',
    cell: (c) => (
      <span className="block truncate" title={c.getValue()}>
        {c.getValue()}
      </span>
    ),
  }),
  column.accessor('status', {
    header: 'Status',
    cell: (c) => {
      const r = c.row.original;
      return (
        <span className="grid justify-items-start gap-0.5">
          <span className="flex items-center gap-1">
            <Badge variant={STATUS_VARIANT[r.status]}>{STATUS_LABELS[r.status]}</Badge>
            {r.try > 1 ? <span className="text-muted-foreground text-xs">try {r.try}</span> : null}
          </span>
          <RowDelivery row={r} />
        </span>
      );
    },
  }),
  column.accessor('messageId', {
    header: 'message_id',
    cell: (c) =>
      c.getValue() ? (
        <code className="block truncate font-mono text-xs" title={c.getValue() ?? undefined}>
          {c.getValue()}
        </code>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  }),
  column.accessor('errorCode', {
    header: 'Error',
    cell: (c) => {
      const r = c.row.original;
      if (!r.errorCode) return <span className="text-muted-foreground">—</span>;
      const detail = r.errorFields?.length
        ? r.errorFields.map((f) => `${f.field}: ${f.message}`).join('; ')
        : (r.errorMessage ?? '');
      return (
        <span className="grid min-w-0 text-xs leading-tight">
          <span className="truncate" title={r.errorMeaning ?? undefined}>
            <code className="text-destructive font-mono">{r.errorCode}</code>{' '}
            <span className="text-muted-foreground">· {r.errorTitle}</span>
          </span>
          <span className="text-muted-foreground truncate" title={detail}>
            {detail}
          </span>
        </span>
      );
    },
  }),
  column.accessor('requestId', {
    header: 'request_id',
    cell: (c) =>
      c.getValue() ? (
        <Link
          href={`/requests?q=${encodeURIComponent(c.getValue()!)}`}
          className="text-primary block truncate font-mono text-xs underline-offset-2 hover:underline"
          title={`Open ${c.getValue()} in the request log`}
        >
          {c.getValue()}
        </Link>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  }),
];

const BASE_WIDTHS = ['w-16', 'w-[22%]', 'w-28', 'w-[21%]', 'w-[27%]', 'w-[20%]'];

/** A failed row's own merged message, straight into Compose (senders only: Compose is theirs). */
const composeColumn = (jobId: string) =>
  column.display({
    id: 'compose',
    header: () => <span className="sr-only">Actions</span>,
    cell: (c) => {
      const r = c.row.original;
      if (r.status !== 'failed') return null;
      return (
        <Link
          href={`/compose?job=${jobId}&row=${r.rowNo}`}
          aria-label={`Open in Compose (CSV line ${r.csvLine})`}
          title="Open this row's message in Compose"
          className="text-primary hover:bg-muted focus-visible:ring-ring inline-flex size-8 items-center justify-center rounded-md focus-visible:ring-2 focus-visible:outline-none"
        >
          <PenSquare className="size-4" aria-hidden />
        </Link>
      );
    },
  });

export function JobRowsTable({
  jobId,
  totalRows,
  errorCodes,
  filters,
  canCompose,
  onFiltersChange: setFilters,
}: {
  jobId: string;
  totalRows: number;
  canCompose: boolean;
  errorCodes: ErrorCodeCount[];
  filters: Filters;
  onFiltersChange: (update: (f: Filters) => Filters) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = useMemo(
    () => (canCompose ? [...BASE_COLUMNS, composeColumn(jobId)] : BASE_COLUMNS),
    [canCompose, jobId],
  );
  const widths = canCompose
    ? ['w-16', 'w-[21%]', 'w-28', 'w-[20%]', 'w-[26%]', 'w-[19%]', 'w-12']
    : BASE_WIDTHS;
  const filtered = Boolean(filters.status || filters.code || filters.q || filters.delivery);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filters]);

  const sparse = useInfiniteQuery({
    queryKey: [
      'batch-rows',
      jobId,
      'filtered',
      filters.status ?? '',
      filters.code ?? '',
      filters.q ?? '',
      filters.delivery ?? '',
    ],
    queryFn: ({ pageParam }) => fetchPage(jobId, filters, pageParam, FILTERED_PAGE),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: filtered,
    staleTime: Infinity,
  });
  const sparseRows = useMemo(() => sparse.data?.pages.flatMap((p) => p.rows) ?? [], [sparse.data]);
  const count = filtered ? (sparse.data?.pages[0]?.total ?? 0) : totalRows;

  // The component re-renders on every scroll anyway; nothing here relies on the compiler's memoising.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    paddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  const pages: number[] = [];
  if (!filtered && count > 0)
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) pages.push(p);
  const dense = useQueries({
    queries: pages.map((p) => ({
      queryKey: ['batch-rows', jobId, 'all', p],
      queryFn: () => fetchPage(jobId, {}, p * PAGE, PAGE),
      staleTime: Infinity,
    })),
  });

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = sparse;
  useEffect(() => {
    if (filtered && hasNextPage && !isFetchingNextPage && last >= sparseRows.length - 1) void fetchNextPage();
  }, [filtered, hasNextPage, isFetchingNextPage, fetchNextPage, last, sparseRows.length]);

  const rowAt = (index: number): JobRowDto | undefined => {
    if (filtered) return sparseRows[index];
    const p = Math.floor(index / PAGE);
    const i = pages.indexOf(p);
    return i === -1 ? undefined : dense[i]?.data?.rows[index - p * PAGE];
  };
  const visible = items.map((v) => ({ index: v.index, start: v.start, row: rowAt(v.index) }));
  const data = visible.flatMap((v) => (v.row ? [v.row] : []));

  // The table only ever holds the rows on screen, so its data changes on every scroll: with the
  // default auto-reset, each new array queues a state update and the table re-renders forever.
  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.rowNo),
    autoResetAll: false,
  });
  const tableRows = new Map(table.getRowModel().rows.map((r) => [r.original.rowNo, r]));

  const paddingTop = items.length ? items[0]!.start - HEADER_HEIGHT : 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items.at(-1)!.end : 0;
  const loadError = filtered ? sparse.isError : dense.some((q) => q.isError);
  const loading = filtered ? sparse.isPending : false;

  return (
    <Card aria-labelledby="rows-heading">
      <CardHeader className="gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <CardTitle id="rows-heading">Rows</CardTitle>
          <p className="text-muted-foreground text-sm tabular-nums" aria-live="polite">
            {loading
              ? 'Loading rows…'
              : filtered
                ? `${formatCount(count)} of ${formatCount(totalRows)} rows match`
                : `${formatCount(totalRows)} rows`}
          </p>
        </div>
        <RowsFilters filters={filters} errorCodes={errorCodes} onFiltersChange={setFilters} />
      </CardHeader>
      <CardContent>
        {loadError ? (
          <p role="alert" className="text-destructive mb-2 text-sm">
            Some rows could not be loaded. Scroll again to retry.
          </p>
        ) : null}
        <div
          ref={scrollRef}
          tabIndex={0}
          role="region"
          aria-label="Rows of this job (scrollable)"
          className="focus-visible:ring-ring max-h-[min(600px,70vh)] overflow-auto rounded-md border focus-visible:ring-2 focus-visible:outline-none"
        >
          <table
            className={`w-full table-fixed text-sm ${canCompose ? 'min-w-[940px]' : 'min-w-[900px]'}`}
            aria-rowcount={count + 1}
          >
            <colgroup>
              {widths.map((w, i) => (
                <col key={i} className={w} />
              ))}
            </colgroup>
            <thead className="bg-card sticky top-0 z-10">
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id} aria-rowindex={1} style={{ height: HEADER_HEIGHT }} className="border-b">
                  {group.headers.map((h) => (
                    <th
                      key={h.id}
                      scope="col"
                      className="text-muted-foreground border-b px-3 text-left align-middle text-xs font-medium"
                    >
                      {flexRender(h.column.columnDef.header, h.getContext())}
                    </th>
                  ))}
                </tr>
              ))}
            </thead>
            <tbody>
              {paddingTop > 0 ? (
                <tr aria-hidden style={{ height: paddingTop }}>
                  <td colSpan={columns.length} />
                </tr>
              ) : null}
              {visible.map((v) => {
                const tr = v.row ? tableRows.get(v.row.rowNo) : undefined;
                if (!tr)
                  return (
                    <tr
                      key={`loading-${v.index}`}
                      aria-rowindex={v.index + 2}
                      style={{ height: ROW_HEIGHT }}
                      className="border-b"
                    >
                      <td colSpan={columns.length} className="px-3">
                        <span className="sr-only">Loading row {v.index + 1}</span>
                        <span aria-hidden className="bg-muted block h-3 w-2/3 animate-pulse rounded" />
                      </td>
                    </tr>
                  );
                return (
                  <tr
                    key={tr.id}
                    aria-rowindex={v.index + 2}
                    style={{ height: ROW_HEIGHT }}
                    className="hover:bg-muted/50 border-b"
                  >
                    {tr.getVisibleCells().map((cell) => (
                      <td key={cell.id} className="overflow-hidden px-3 align-middle">
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    ))}
                  </tr>
                );
              })}
              {paddingBottom > 0 ? (
                <tr aria-hidden style={{ height: paddingBottom }}>
                  <td colSpan={columns.length} />
                </tr>
              ) : null}
            </tbody>
          </table>
          {!loading && count === 0 ? (
            <p className="text-muted-foreground p-6 text-center text-sm">
              {filtered ? 'No rows match these filters.' : 'This job has no rows.'}
            </p>
          ) : null}
        </div>
      </CardContent>
    </Card>
  );
}
