'use client';

import { Search, X } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import {
  FILTER_KEYS,
  OUTCOME_LABELS,
  OUTCOMES,
  requestSearchHref,
  type RequestSearchParams,
} from '@/lib/schemas/request-log';

export type FilterChoices = { errorCodes: string[]; paths: string[]; keyProfiles: string[]; users: string[] };

/** Choices plus the value in the URL, which may be older than what the log's newest rows hold. */
const withCurrent = (choices: string[], current: string | undefined) =>
  current && !choices.includes(current) ? [current, ...choices] : choices;

// A plain GET form that works without JavaScript; with it, empty fields are left out of the URL.
export function RequestSearchForm({
  params,
  choices,
}: {
  params: RequestSearchParams;
  choices: FilterChoices;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const filtersActive = FILTER_KEYS.some((k) => params[k]);

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next: RequestSearchParams = {};
    for (const key of ['q', ...FILTER_KEYS] as const) {
      const v = data.get(key);
      if (typeof v === 'string' && v.trim() !== '') (next as Record<string, string>)[key] = v.trim();
    }
    startTransition(() => router.push(requestSearchHref(next)));
  }

  const select = (name: (typeof FILTER_KEYS)[number], label: string, values: string[], any: string) => (
    <div className="grid gap-1.5">
      <Label htmlFor={`filter-${name}`}>{label}</Label>
      <NativeSelect id={`filter-${name}`} name={name} defaultValue={params[name] ?? ''}>
        <option value="">{any}</option>
        {withCurrent(values, params[name]).map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </NativeSelect>
    </div>
  );

  return (
    <form
      action="/requests"
      method="get"
      role="search"
      aria-label="Request log"
      onSubmit={onSubmit}
      className="grid gap-4"
    >
      <div className="grid gap-1.5">
        <Label htmlFor="request-search">Search requests</Label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Input
            id="request-search"
            data-page-search
            name="q"
            type="search"
            defaultValue={params.q ?? ''}
            placeholder="req_… · eml_… · evt_… · idempotency key · ada@example.com · batch job id"
            className="font-mono"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="request-search-hint"
          />
          <Button type="submit" disabled={pending}>
            <Search aria-hidden /> Search
          </Button>
        </div>
        <p id="request-search-hint" className="text-muted-foreground text-xs">
          A request_id or eml_ id finds its request; an address finds every request with it in To, Cc or Bcc;
          an idempotency key finds every attempt made under it; a batch job id (or job:&lt;id&gt;) finds the
          job’s chunks.
        </p>
      </div>
      <fieldset className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <legend className="sr-only">Filters</legend>
        <div className="grid gap-1.5">
          <Label htmlFor="filter-outcome">Outcome</Label>
          <NativeSelect id="filter-outcome" name="outcome" defaultValue={params.outcome ?? ''}>
            <option value="">Any outcome</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABELS[o]}
              </option>
            ))}
          </NativeSelect>
        </div>
        {select('code', 'Error code', choices.errorCodes, 'Any error code')}
        {select('endpoint', 'Endpoint', choices.paths, 'Any endpoint')}
        {select('profile', 'Key profile', choices.keyProfiles, 'Any profile')}
        {select('user', 'User', choices.users, 'Anyone')}
        <div className="grid gap-1.5">
          <Label htmlFor="filter-from">From (UTC)</Label>
          <Input id="filter-from" name="from" type="datetime-local" defaultValue={params.from ?? ''} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="filter-to">To (UTC)</Label>
          <Input id="filter-to" name="to" type="datetime-local" defaultValue={params.to ?? ''} />
        </div>
        <div className="flex flex-wrap items-end gap-2 sm:col-span-2 lg:col-span-3">
          <Button type="submit" variant="outline" disabled={pending}>
            Apply filters
          </Button>
          {filtersActive ? (
            <Button asChild variant="ghost">
              <Link href={requestSearchHref({ q: params.q })}>
                <X aria-hidden /> Clear filters
              </Link>
            </Button>
          ) : null}
          {params.q || filtersActive ? (
            <Button asChild variant="ghost">
              <Link href="/requests">Start over</Link>
            </Button>
          ) : null}
        </div>
      </fieldset>
    </form>
  );
}
