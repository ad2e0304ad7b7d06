import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { MAX_SLOW_MS } from '@/lib/sandbox/limits';
import { FAULT_PATHS } from '@/lib/sandbox/state';
import { formatCount } from '@/lib/format/display';

const CONTROL_ENDPOINTS = [
  {
    method: 'GET',
    path: '/_sandbox/outbox?to=&limit=',
    what: 'Accepted messages, newest first, exactly as received (inline attachment content included), optionally for one To address. limit 1–500, default 50.',
  },
  {
    method: 'DELETE',
    path: '/_sandbox/outbox',
    what: 'Empties the outbox; answers { deleted }. Needs only the sandbox key, so it is not in the console’s audit log.',
  },
  {
    method: 'POST',
    path: '/_sandbox/faults',
    what: `Queues a fault: { path, code?, times?, delayMs? }. The next times (default 1, at most 1000) requests to path answer with code (an error code, an HTTP status, or "drop"), after delayMs (at most ${MAX_SLOW_MS} ms).`,
  },
  {
    method: 'GET',
    path: '/_sandbox/faults',
    what: 'The faults still queued, with how many requests each has left.',
  },
  {
    method: 'DELETE',
    path: '/_sandbox/faults',
    what: 'Clears queued faults and the attempt counters of flaky+ and drop+once addresses.',
  },
  {
    method: 'POST',
    path: '/_sandbox/rate-limit/reset',
    what: 'Starts every key’s rate-limit window afresh.',
  },
] as const;

/** The sandbox key (masked) and the control API, for people writing tests against the sandbox. */
export function TestAuthorGuide({
  maskedKey,
  keySource,
  apiUrl,
  rateLimit,
}: {
  maskedKey: string;
  keySource: 'configured' | 'generated';
  apiUrl: string;
  rateLimit: number;
}) {
  const example = [
    `curl -X POST "${apiUrl}/_sandbox/faults" \\`,
    `  -H "Authorization: Bearer $SANDBOX_API_KEY" -H "Content-Type: application/json" \\`,
    `  -d '{"path":"/emails/send","code":503,"times":2}'`,
  ].join('\n');
  return (
    <Card aria-labelledby="test-authors-title">
      <CardHeader>
        <CardTitle id="test-authors-title">For test authors: sandbox key and control API</CardTitle>
        <CardDescription>
          Point a Sendmux client at the sandbox URL with the sandbox key and it behaves like Sendmux. The
          control API is extra: it is not part of Sendmux.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5 text-sm">
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_minmax(0,1fr)]">
          <dt className="text-muted-foreground">Sandbox API URL</dt>
          <dd className="flex min-w-0 items-center gap-1">
            <code className="truncate font-mono text-xs">{apiUrl}</code>
            <CopyButton value={apiUrl} label="Copy sandbox API URL" />
          </dd>
          <dt className="text-muted-foreground">Sandbox key</dt>
          <dd>
            <code className="font-mono text-xs">{maskedKey}</code>{' '}
            <span className="text-muted-foreground">
              {keySource === 'configured' ? (
                <>
                  — set by <code className="font-mono text-xs">SANDBOX_API_KEY</code>.
                </>
              ) : (
                <>
                  — generated on first start and kept in the file{' '}
                  <code className="font-mono text-xs">sandbox-api-key</code> in{' '}
                  <code className="font-mono text-xs">DATA_DIR</code>; set{' '}
                  <code className="font-mono text-xs">SANDBOX_API_KEY</code> to choose it.
                </>
              )}{' '}
              The console never shows it in full.
            </span>
          </dd>
          <dt className="text-muted-foreground">Rate limit</dt>
          <dd>
            {formatCount(rateLimit)} requests per 60 s per key (
            <code className="font-mono text-xs">SANDBOX_RATE_LIMIT</code>); control calls do not count.
          </dd>
        </dl>
        <div className="grid gap-2">
          <h3 className="font-semibold">Control API</h3>
          <p className="text-muted-foreground">
            Under the sandbox URL, behind the same{' '}
            <code className="font-mono text-xs">Authorization: Bearer</code> key. Fault paths:{' '}
            {FAULT_PATHS.map((p, i) => (
              <span key={p}>
                {i > 0 ? ', ' : ''}
                <code className="font-mono text-xs">{p}</code>
              </span>
            ))}
            . Faults and counters live in memory and reset when the console restarts.
          </p>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead className="w-px">Method</TableHead>
                <TableHead>Path</TableHead>
                <TableHead>What it does</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {CONTROL_ENDPOINTS.map((e) => (
                <TableRow key={`${e.method} ${e.path}`}>
                  <TableCell className="align-top">
                    <Badge
                      variant={
                        e.method === 'DELETE' ? 'destructive' : e.method === 'POST' ? 'default' : 'muted'
                      }
                      className="font-mono"
                    >
                      {e.method}
                    </Badge>
                  </TableCell>
                  <TableCell className="align-top font-mono text-xs whitespace-nowrap">{e.path}</TableCell>
                  <TableCell className="text-muted-foreground min-w-64 align-top">{e.what}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
        <div className="grid gap-2">
          <div className="flex items-center justify-between gap-2">
            <h3 className="font-semibold">Example: the next two sends get 503</h3>
            <CopyButton value={example} label="Copy curl example">
              Copy
            </CopyButton>
          </div>
          <pre className="bg-muted/40 overflow-x-auto rounded-md border p-3 font-mono text-xs">{example}</pre>
        </div>
      </CardContent>
    </Card>
  );
}
