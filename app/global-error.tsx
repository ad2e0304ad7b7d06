'use client';

import './globals.css';

// Replaces the root layout when it (or the console layout) fails, so it owns <html> and <body> and
// leans on nothing that might be what broke: no providers, router links or fonts, only the CSS.
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: unknown }).digest : undefined;
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · Sendmux Console</title>
      </head>
      <body className="bg-background text-foreground min-h-screen font-sans">
        <main className="mx-auto max-w-xl px-4 py-16">
          <h1 className="text-2xl font-semibold tracking-tight">Sendmux Console could not load</h1>
          <p className="text-muted-foreground mt-3 text-sm leading-relaxed">
            Something went wrong in the console itself. Try again; if it keeps happening, tell your
            administrator and give them the error reference below.
          </p>
          {typeof digest === 'string' && digest ? (
            <p className="mt-3 text-sm">
              Error reference: <code className="font-[ui-monospace,monospace] select-all">{digest}</code>
            </p>
          ) : null}
          <div className="mt-6 flex flex-wrap gap-2">
            <button
              type="button"
              onClick={() => retry()}
              className="bg-primary text-primary-foreground hover:bg-primary/90 h-9 rounded-md px-4 text-sm font-medium"
            >
              Try again
            </button>
            {/* A full page load, not a client navigation: the client router may be what failed. */}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
            <a
              href="/"
              className="border-input hover:bg-accent inline-flex h-9 items-center rounded-md border px-4 text-sm font-medium"
            >
              Go to the home page
            </a>
          </div>
        </main>
      </body>
    </html>
  );
}
