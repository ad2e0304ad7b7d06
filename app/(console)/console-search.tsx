'use client';

import { Search } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { Input } from '@/components/ui/input';
import { requestSearchHref } from '@/lib/schemas/request-log-url';

// In the sidebar of every console page: `/` lands here when the page has no search of its own.
// A plain GET form to the request log, so it works before (and without) JavaScript.
export function ConsoleSearch() {
  const router = useRouter();
  return (
    <form
      action="/requests"
      method="get"
      role="search"
      aria-label="Find a request"
      onSubmit={(e) => {
        e.preventDefault();
        const q = new FormData(e.currentTarget).get('q');
        router.push(requestSearchHref({ q: typeof q === 'string' && q.trim() ? q.trim() : undefined }));
      }}
      className="relative"
    >
      <label htmlFor="console-search" className="sr-only">
        Find a request
      </label>
      <Search
        className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2"
        aria-hidden
      />
      <Input
        id="console-search"
        name="q"
        type="search"
        placeholder="Find a request…"
        aria-keyshortcuts="/"
        aria-describedby="console-search-hint"
        autoComplete="off"
        spellCheck={false}
        className="h-8 pr-8 pl-8 text-sm"
      />
      <kbd
        aria-hidden
        className="text-muted-foreground pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border px-1 font-mono text-xs"
      >
        /
      </kbd>
      <span id="console-search-hint" className="sr-only">
        A request_id, eml_ id, idempotency key, recipient address or batch job id. Press / on any page to come
        here.
      </span>
    </form>
  );
}
