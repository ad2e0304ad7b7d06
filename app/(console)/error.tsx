'use client';

import Link from 'next/link';
import { TriangleAlert } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';

// Next 16.3+ passes `retry` (re-fetches the segment's server data, then re-renders) and `reset`
// (re-renders only); a page that failed on the server needs `retry`.
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = errorDigest(error);
  return (
    <div className="max-w-xl">
      <Alert variant="destructive">
        <TriangleAlert aria-hidden />
        <AlertTitle>
          <span className="text-base">This page could not be shown</span>
        </AlertTitle>
        <AlertDescription>
          <p>
            Something went wrong in the console while loading it. Try again; if it keeps happening, tell your
            administrator and give them the error reference below.
          </p>
          {digest ? (
            <p className="mt-2 flex items-center gap-1">
              Error reference: <code className="font-mono">{digest}</code>
              <CopyButton value={digest} label="Copy error reference" />
            </p>
          ) : null}
          <div className="mt-3 flex flex-wrap gap-2">
            <Button onClick={() => retry()}>Try again</Button>
            <Button asChild variant="outline">
              <Link href="/">Go to the home page</Link>
            </Button>
          </div>
        </AlertDescription>
      </Alert>
    </div>
  );
}

/** Next tags a server-side error with a digest that also appears in the server log. */
function errorDigest(error: unknown): string | null {
  const digest = error instanceof Error ? (error as Error & { digest?: unknown }).digest : undefined;
  return typeof digest === 'string' && digest ? digest : null;
}
