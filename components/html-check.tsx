'use client';

import { ExternalLink, LoaderCircle } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import { WarnBadge } from '@/components/warn-badge';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { HtmlCheck } from '@/lib/html-check/check-html';
import type { ActionResult } from '@/lib/schemas/action-result';
import type { ClientSupport, FeatureSupport } from '@/lib/html-check/client-support';
import type { LinkProblemReason } from '@/lib/html-check/links';
import { HTML_CHECK_MAX_CHARS } from '@/lib/schemas/html-check';
import { formatCount } from '@/lib/format/display';

const REASONS: Record<LinkProblemReason, string> = {
  empty: 'Empty: the link goes nowhere',
  javascript: 'javascript: link, which mail clients block',
  scheme: 'Not http(s) or mailto: relative paths, anchors and other schemes do not work in mail',
  invalid: 'Not a valid URL',
  'mailto-empty': 'mailto: without an address',
};

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * The HTML check of a body, run on the server (caniemail's data is too large for the page) each
 * time the HTML settles. `templates`: a batch template, whose `{{variable}}` links are filled per row.
 */
export function HtmlCheckPanel({
  html,
  templates = false,
  run,
}: {
  html: string;
  templates?: boolean;
  /** checkHtmlAction, handed down by the route that shows the panel. */
  run: (input: { html: string; templates?: boolean }) => Promise<ActionResult<HtmlCheck>>;
}) {
  const [state, setState] = useState<
    { html: string; check: HtmlCheck } | { html: string; error: string } | null
  >(null);
  const tooLarge = html.length > HTML_CHECK_MAX_CHARS;

  useEffect(() => {
    if (!html.trim() || tooLarge) return;
    let live = true;
    const timer = setTimeout(() => {
      run({ html, templates })
        .then((result) => {
          if (!live) return;
          setState(result.ok ? { html, check: result.data } : { html, error: result.error.message });
        })
        .catch(() => live && setState({ html, error: 'The check could not run. Try again in a moment.' }));
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [html, templates, tooLarge, run]);

  if (!html.trim())
    return (
      <p className="text-muted-foreground rounded-lg border border-dashed p-6 text-center text-sm">
        The check of the HTML body will appear here.
      </p>
    );
  if (tooLarge)
    return (
      <p className="text-muted-foreground rounded-lg border border-dashed p-6 text-sm">
        This HTML body is over {formatCount(HTML_CHECK_MAX_CHARS)} characters, too large to check here.
      </p>
    );
  if (!state || state.html !== html)
    return (
      <p role="status" className="text-muted-foreground flex items-center gap-2 p-6 text-sm">
        <LoaderCircle className="size-4 animate-spin" aria-hidden /> Checking the HTML…
      </p>
    );
  if ('error' in state)
    return (
      <Alert variant="destructive">
        <AlertDescription>{state.error}</AlertDescription>
      </Alert>
    );
  return <HtmlCheckReport check={state.check} />;
}

/** Support in common clients (score, each client, each feature with its clients) and the link check. */
export function HtmlCheckReport({ check }: { check: HtmlCheck }) {
  const { support, links } = check;
  const names = new Map(support.clients.map((c) => [c.client, `${c.name} (${c.platform})`]));
  const count = (s: ClientSupport['support']) => support.clients.filter((c) => c.support === s).length;
  return (
    <div className="grid gap-5" data-testid="html-check">
      <section aria-labelledby="check-support-heading" className="grid gap-3">
        <h3 id="check-support-heading" className="text-sm font-medium">
          Support in email clients
        </h3>
        {support.failure ? (
          <Alert variant="warning">
            <AlertDescription>The HTML or its CSS could not be read: {support.failure}</AlertDescription>
          </Alert>
        ) : (
          <>
            <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
              <p className="text-2xl font-semibold tabular-nums">
                Score {support.score}
                <span className="text-base">%</span>
              </p>
              <p className="text-muted-foreground text-sm">
                {count('full')} of {support.clients.length} clients show everything this message uses;{' '}
                {count('partial')} in part; {count('none')} lack a feature. From caniemail.com’s data.
              </p>
            </div>
            <ul aria-label="Clients" className="flex flex-wrap gap-1.5">
              {support.clients.map((c) => (
                <li key={c.client}>
                  <ClientBadge client={c} />
                </li>
              ))}
            </ul>
            {support.features.length ? (
              <FeatureTable features={support.features} names={names} />
            ) : (
              <p className="text-sm">Nothing in this message is unsupported by the clients above.</p>
            )}
          </>
        )}
      </section>
      <section aria-labelledby="check-links-heading" className="grid gap-2">
        <h3 id="check-links-heading" className="text-sm font-medium">
          Links
        </h3>
        <p className="text-sm">
          {links.problems.length
            ? `${plural(links.problems.length, 'link needs', 'links need')} a fix (of ${plural(links.checked, 'link', 'links')} checked).`
            : links.checked === 1
              ? 'The one link is http(s) or mailto.'
              : links.checked
                ? `All ${formatCount(links.checked)} links are http(s) or mailto.`
                : 'No links to check.'}
          {links.templated
            ? ` ${plural(links.templated, 'link starts', 'links start')} with a {{variable}}, filled per row: not checked here.`
            : ''}
        </p>
        {links.problems.length ? (
          <CheckTable caption="Links that need a fix" columns={['Line', 'Link text', 'href', 'Problem']}>
            {links.problems.map((p, i) => (
              <TableRow key={i} className="align-top">
                <TableCell className="tabular-nums">{p.line}</TableCell>
                <TableCell className="max-w-40 break-words">
                  {p.text || <span className="text-muted-foreground">(none)</span>}
                </TableCell>
                <TableCell className="max-w-56 font-mono break-all">
                  {p.href.trim() ? p.href : <span className="text-muted-foreground">(empty)</span>}
                </TableCell>
                <TableCell>{REASONS[p.reason]}</TableCell>
              </TableRow>
            ))}
          </CheckTable>
        ) : null}
      </section>
    </div>
  );
}

function ClientBadge({ client }: { client: ClientSupport }) {
  const label = `${client.name} (${client.platform})`;
  if (client.support === 'full')
    return (
      <Badge variant="success" title="Shows everything this message uses">
        {label}: supported
      </Badge>
    );
  if (client.support === 'partial') return <WarnBadge>{label}: partly</WarnBadge>;
  return <Badge variant="destructive">{label}: lacks a feature</Badge>;
}

function FeatureTable({ features, names }: { features: FeatureSupport[]; names: Map<string, string> }) {
  const list = (ids: string[]) => ids.map((id) => names.get(id) ?? id).join(', ');
  return (
    <CheckTable
      caption="Features some clients do not support"
      columns={['Feature', 'Not supported in', 'Partly supported in']}
    >
      {features.map((f) => (
        <TableRow key={f.name} className="align-top">
          <TableCell>
            <a
              href={f.link}
              target="_blank"
              rel="noreferrer"
              className="text-primary inline-flex items-center gap-1 font-mono underline-offset-2 hover:underline"
            >
              {f.name}
              <ExternalLink className="size-3" aria-hidden />
              <span className="sr-only">(caniemail.com, opens in a new tab)</span>
            </a>
            {f.notes.length ? (
              <details className="mt-1">
                <summary className="text-muted-foreground cursor-pointer">
                  {plural(f.notes.length, 'note', 'notes')}
                </summary>
                <ul className="text-muted-foreground mt-1 grid max-w-md gap-1">
                  {f.notes.map((n, i) => (
                    <li key={i}>
                      <span className="text-foreground">{names.get(n.client) ?? n.client}:</span> {n.text}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </TableCell>
          <TableCell>{f.unsupported.length ? list(f.unsupported) : '—'}</TableCell>
          <TableCell>{f.partial.length ? list(f.partial) : '—'}</TableCell>
        </TableRow>
      ))}
    </CheckTable>
  );
}

function CheckTable({
  caption,
  columns,
  children,
}: {
  caption: string;
  columns: string[];
  children: ReactNode;
}) {
  return (
    <div className="rounded-lg border">
      <Table className="text-xs">
        <caption className="sr-only">{caption}</caption>
        <TableHeader className="bg-muted/50">
          <TableRow>
            {columns.map((c) => (
              <TableHead key={c} scope="col">
                {c}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>{children}</TableBody>
      </Table>
    </div>
  );
}
