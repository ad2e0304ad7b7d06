'use client';

import { Download, X } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import {
  AUDIT_FILTER_KEYS,
  auditActionLabel,
  auditSearchHref,
  auditSearchQuery,
  type AuditSearchParams,
} from '@/lib/schemas/audit';

/** Choices plus the value in the URL, which the log may no longer hold. */
const withCurrent = (choices: string[], current: string | undefined) =>
  current && !choices.includes(current) ? [current, ...choices] : choices;

// A plain GET form that works without JavaScript; with it, empty fields are left out of the URL.
export function AuditFilters({
  params,
  actions,
  actors,
}: {
  params: AuditSearchParams;
  actions: string[];
  actors: string[];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const active = AUDIT_FILTER_KEYS.some((k) => params[k]);
  const exportQuery = auditSearchQuery({ ...params, before: undefined });

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next: AuditSearchParams = {};
    for (const key of AUDIT_FILTER_KEYS) {
      const v = data.get(key);
      if (typeof v === 'string' && v.trim() !== '') next[key] = v.trim();
    }
    startTransition(() => router.push(auditSearchHref(next)));
  }

  return (
    <form
      action="/settings/audit"
      method="get"
      role="search"
      aria-label="Audit log"
      onSubmit={onSubmit}
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4"
    >
      <div className="grid gap-1.5">
        <Label htmlFor="audit-actor">Who</Label>
        <NativeSelect id="audit-actor" name="actor" defaultValue={params.actor ?? ''}>
          <option value="">Anyone</option>
          {withCurrent(actors, params.actor).map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="audit-action">Action</Label>
        <NativeSelect id="audit-action" name="action" defaultValue={params.action ?? ''}>
          <option value="">Any action</option>
          {withCurrent(actions, params.action).map((a) => (
            <option key={a} value={a}>
              {auditActionLabel(a)}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="audit-from">From (UTC)</Label>
        <Input id="audit-from" name="from" type="datetime-local" defaultValue={params.from ?? ''} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="audit-to">To (UTC)</Label>
        <Input id="audit-to" name="to" type="datetime-local" defaultValue={params.to ?? ''} />
      </div>
      <div className="flex flex-wrap items-end gap-2 sm:col-span-2 lg:col-span-4">
        <Button type="submit" disabled={pending}>
          Apply filters
        </Button>
        {active ? (
          <Button asChild variant="ghost">
            <Link href="/settings/audit">
              <X aria-hidden /> Clear filters
            </Link>
          </Button>
        ) : null}
        <Button asChild variant="outline" className="ml-auto">
          {/* A download, not a page: a plain link so the browser saves the file. */}
          <a href={`/api/audit/events.csv${exportQuery ? `?${exportQuery}` : ''}`} download>
            <Download aria-hidden /> Download CSV
          </a>
        </Button>
      </div>
    </form>
  );
}
