'use client';

import { Search, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import type { ErrorCodeCount } from '@/lib/batch/job-types';
import type { JobRowsSearch as Filters } from '@/lib/schemas/batch';
import { ROW_STATUSES, type RowStatusFilter } from '@/lib/schemas/batch-values';
import { formatCount } from '@/lib/format/display';
import { DeliveryFilter } from './delivery-filter';

export const STATUS_LABELS: Record<RowStatusFilter, string> = {
  pending: 'Pending',
  sending: 'Sending',
  queued: 'Queued',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The filters as URL search parameters, for the page's address and the rows route alike. */
export function filterParams(filters: Filters): URLSearchParams {
  const sp = new URLSearchParams();
  if (filters.status) sp.set('status', filters.status);
  if (filters.code) sp.set('code', filters.code);
  if (filters.q) sp.set('q', filters.q);
  if (filters.delivery) sp.set('delivery', filters.delivery);
  return sp;
}

export function hrefWith(filters: Filters): string {
  const qs = filterParams(filters).toString();
  return `${window.location.pathname}${qs ? `?${qs}` : ''}`;
}

/** Status, error code and a To search (applied as the user pauses typing). */
export function RowsFilters({
  filters,
  errorCodes,
  onFiltersChange: setFilters,
}: {
  filters: Filters;
  errorCodes: ErrorCodeCount[];
  onFiltersChange: (update: (f: Filters) => Filters) => void;
}) {
  const [search, setSearch] = useState(filters.q ?? '');
  const filtered = Boolean(filters.status || filters.code || filters.q || filters.delivery);

  useEffect(() => {
    const q = search.trim() || undefined;
    if (q === filters.q) return;
    const t = setTimeout(() => setFilters((f) => ({ ...f, q })), 300);
    return () => clearTimeout(t);
  }, [search, filters.q, setFilters]);

  const codeChoices =
    filters.code && !errorCodes.some((c) => c.code === filters.code)
      ? [{ code: filters.code, count: 0, title: '', needsChange: false }, ...errorCodes]
      : errorCodes;

  return (
    <form
      role="search"
      aria-label="Filter rows"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="grid gap-1.5">
        <Label htmlFor="rows-status">Status</Label>
        <NativeSelect
          id="rows-status"
          className="w-40"
          value={filters.status ?? ''}
          onChange={(e) =>
            setFilters((f) => ({
              ...f,
              status: (e.target.value || undefined) as RowStatusFilter | undefined,
            }))
          }
        >
          <option value="">Any status</option>
          {ROW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="rows-code">Error code</Label>
        <NativeSelect
          id="rows-code"
          className="w-80"
          value={filters.code ?? ''}
          onChange={(e) => setFilters((f) => ({ ...f, code: e.target.value || undefined }))}
        >
          <option value="">Any error code</option>
          {codeChoices.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code}
              {c.title ? ` — ${c.title}` : ''}
              {c.count ? ` (${formatCount(c.count)})` : ''}
            </option>
          ))}
        </NativeSelect>
      </div>
      <DeliveryFilter
        value={filters.delivery}
        onChange={(delivery) => setFilters((f) => ({ ...f, delivery }))}
      />
      <div className="grid min-w-56 flex-1 gap-1.5">
        <Label htmlFor="rows-q">To address</Label>
        <div className="relative">
          <Search
            className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2"
            aria-hidden
          />
          <Input
            id="rows-q"
            data-page-search
            type="search"
            className="pl-8"
            placeholder="Search addresses"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoComplete="off"
          />
        </div>
      </div>
      {filtered ? (
        <Button
          type="button"
          variant="ghost"
          onClick={() => {
            setSearch('');
            setFilters(() => ({}));
          }}
        >
          <X aria-hidden /> Clear filters
        </Button>
      ) : null}
    </form>
  );
}
