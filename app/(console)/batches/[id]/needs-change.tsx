import { Wrench } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { NeedsChangeGroup } from '@/lib/batch/job-types';
import { formatCount } from '@/lib/format/display';

/** Failed rows a retry cannot fix, by error code, with what to change. */
export function NeedsChange({
  groups,
  onShow,
}: {
  groups: NeedsChangeGroup[];
  onShow: (code: string) => void;
}) {
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  return (
    <Card className="mb-6" aria-labelledby="needs-change-heading">
      <CardHeader>
        <CardTitle id="needs-change-heading" className="flex items-center gap-2">
          <Wrench className="text-warning size-4" aria-hidden />
          {formatCount(total)} {total === 1 ? 'row needs' : 'rows need'} a change before sending
        </CardTitle>
        <CardDescription>
          Sending these again would fail the same way, so “Retry failed rows” leaves them out. Fix them in the
          CSV and start a new batch with those rows.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {groups.map((g) => (
          <section
            key={g.code}
            aria-label={`${g.code}: ${g.count} rows`}
            className="grid gap-2 rounded-md border p-3"
          >
            <div className="flex flex-wrap items-center gap-2">
              <Badge variant="destructive" className="font-mono">
                {g.code}
              </Badge>
              <span className="font-medium">{g.title}</span>
              <span className="text-muted-foreground text-sm">
                {formatCount(g.count)} {g.count === 1 ? 'row' : 'rows'}
              </span>
            </div>
            <p className="text-sm">
              <strong>What to change:</strong> {g.action}
            </p>
            <ul className="grid gap-0.5 text-xs">
              {g.rows.map((r) => (
                <li key={r.rowNo} className="flex min-w-0 gap-2">
                  <span className="text-muted-foreground shrink-0 tabular-nums">line {r.csvLine}</span>
                  <span className="shrink-0 font-medium">{r.toEmail}</span>
                  <span className="text-muted-foreground truncate" title={r.errorMessage ?? undefined}>
                    {r.errorFields?.length
                      ? r.errorFields.map((f) => `${f.field}: ${f.message}`).join('; ')
                      : r.errorMessage}
                  </span>
                </li>
              ))}
              {g.count > g.rows.length ? (
                <li className="text-muted-foreground">… and {formatCount(g.count - g.rows.length)} more</li>
              ) : null}
            </ul>
            <div>
              <Button
                type="button"
                variant="link"
                size="sm"
                className="h-auto px-0"
                onClick={() => onShow(g.code)}
              >
                Show {g.count === 1 ? 'this row' : `all ${formatCount(g.count)}`} in the table
              </Button>
            </div>
          </section>
        ))}
      </CardContent>
    </Card>
  );
}
