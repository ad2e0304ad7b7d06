'use client';

import { ArrowLeft, CircleAlert, Download, TriangleAlert } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/cn';
import { formatBytes, formatCount } from '@/lib/format/display';
import { errorsCsv, type PreflightResult } from '@/lib/mail-merge/preflight';

function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The preflight at a glance: what would be sent, the problems of the mapping, and bulk exclusions. */
/** These buttons go away once pressed: the plan's heading, with its new counts, takes focus. */
function afterChange(change: () => void) {
  change();
  requestAnimationFrame(() => document.getElementById('plan-heading')?.focus());
}

export function PlanSummary({
  result,
  onExclude,
  onIncludeAll,
  onBack,
}: {
  result: PreflightResult;
  onExclude: (lines: number[]) => void;
  onIncludeAll: () => void;
  onBack: () => void;
}) {
  const { plan } = result;
  const errors = result.problems.filter((p) => p.severity === 'error');
  const warnings = result.problems.filter((p) => p.severity === 'warning');
  return (
    <Card aria-labelledby="plan-heading">
      <CardHeader>
        <CardTitle id="plan-heading" tabIndex={-1} data-step-heading>
          3. Preview and preflight
        </CardTitle>
        <CardDescription>
          Every row was merged and checked with the same rules as Compose. Nothing has been sent.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <p className="text-base" data-testid="plan">
          <strong className="tabular-nums">{formatCount(plan.messages)}</strong>{' '}
          {plural(plan.messages, 'message', 'messages')} in{' '}
          <strong className="tabular-nums">{formatCount(plan.requests)}</strong>{' '}
          {plural(plan.requests, 'request', 'requests')} of ≤ {plan.requestSize}, total encoded size{' '}
          <strong>{formatBytes(plan.totalBytes)}</strong>
          {plan.requests ? (
            <span className="text-muted-foreground text-sm">
              {' '}
              (largest request {formatBytes(plan.largestRequestBytes)})
            </span>
          ) : null}
        </p>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3 lg:grid-cols-6">
          <Stat label="Rows in the file" value={plan.rows} />
          <Stat label="Ready to send" value={plan.valid} tone="text-success" />
          <Stat
            label="With errors"
            value={plan.invalid}
            tone={plan.invalid ? 'text-destructive' : undefined}
          />
          <Stat label="Excluded" value={plan.excluded} />
          <Stat
            label="Empty variables"
            value={plan.withEmptyVariables}
            tone={plan.withEmptyVariables ? 'text-warning' : undefined}
          />
          <Stat
            label="Duplicate To"
            value={plan.duplicates}
            tone={plan.duplicates ? 'text-warning' : undefined}
          />
        </dl>
        {errors.length ? (
          <Alert variant="destructive">
            <CircleAlert aria-hidden />
            <AlertTitle>
              Fix {errors.length === 1 ? 'this' : `these ${errors.length}`} before sending
            </AlertTitle>
            <AlertDescription>
              <ul className="list-disc pl-4">
                {errors.map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
              </ul>
              <Button type="button" size="sm" variant="outline" className="mt-2" onClick={onBack}>
                <ArrowLeft aria-hidden /> Back to the mapping
              </Button>
            </AlertDescription>
          </Alert>
        ) : null}
        {warnings.length ? (
          <Alert variant="warning">
            <TriangleAlert aria-hidden />
            <AlertTitle>Worth a look</AlertTitle>
            <AlertDescription>
              <ul className="list-disc pl-4">
                {warnings.map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
              </ul>
            </AlertDescription>
          </Alert>
        ) : null}
        <div className="flex flex-wrap gap-2">
          {plan.invalid ? (
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={() =>
                afterChange(() =>
                  onExclude(result.rows.filter((r) => r.status === 'invalid').map((r) => r.line)),
                )
              }
            >
              Exclude the {formatCount(plan.invalid)} {plural(plan.invalid, 'row', 'rows')} with errors
            </Button>
          ) : null}
          {plan.duplicates ? (
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={() =>
                afterChange(() =>
                  onExclude(result.rows.filter((r) => r.duplicateOfLine !== null).map((r) => r.line)),
                )
              }
            >
              Exclude the {formatCount(plan.duplicates)} duplicate {plural(plan.duplicates, 'row', 'rows')}
            </Button>
          ) : null}
          {plan.excluded ? (
            <Button type="button" variant="outline" size="sm" onClick={() => afterChange(onIncludeAll)}>
              Include the {formatCount(plan.excluded)} excluded {plural(plan.excluded, 'row', 'rows')} again
            </Button>
          ) : null}
          <Button
            type="button"
            variant="outline"
            size="sm"
            disabled={plan.invalid === 0 && plan.withWarnings === 0}
            onClick={() => download(errorsCsv(result, { includeWarnings: true }), 'preflight-errors.csv')}
          >
            <Download aria-hidden /> Download errors as CSV
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <div className="grid gap-0.5">
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd className={cn('text-lg font-semibold tabular-nums', tone)}>{formatCount(value)}</dd>
    </div>
  );
}
