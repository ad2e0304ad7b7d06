'use client';

import { ArrowLeft, ArrowRight } from 'lucide-react';
import { useMemo, useState } from 'react';
import { HtmlCheckPanel } from '@/components/html-check';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { CsvTable } from '@/lib/mail-merge/csv';
import type { BatchSpec } from '@/lib/mail-merge/mapping';
import type { PreflightResult } from '@/lib/mail-merge/preflight';
import { checkHtmlAction } from '../../actions';
import { DeliveryHistory } from './delivery-history';
import { PlanSummary } from './plan-summary';
import { filterCounts, FILTERS, initialFilter, type FilterId } from './preflight-filters';
import { PreflightRows } from './preflight-rows';
import { RowMessageCard } from './row-message-card';
import type { UpdateSpec } from './wizard-types';

const PAGE = 50;

/** Step 3: the plan, every row's check under a filter, and the message of the row in view. */
export function PreviewStep({
  parsed,
  spec,
  updateSpec,
  onExclude,
  result,
  onBack,
  onNext,
}: {
  parsed: CsvTable;
  spec: BatchSpec;
  updateSpec: UpdateSpec;
  onExclude: (lines: readonly number[], exclude: boolean) => void;
  result: PreflightResult;
  onBack: () => void;
  onNext: () => void;
}) {
  const [filter, setFilter] = useState<FilterId>(() => initialFilter(result));
  const [page, setPage] = useState(0);
  const [selectedLine, setSelectedLine] = useState<number | null>(null);

  const counts = useMemo(() => filterCounts(result.rows), [result]);
  const list = useMemo(() => result.rows.filter(FILTERS[filter].test), [result, filter]);
  const pages = Math.max(1, Math.ceil(list.length / PAGE));
  const currentPage = Math.min(page, pages - 1);
  // With nothing chosen (or the choice filtered out), the first row of the list is in view.
  const found = selectedLine === null ? -1 : list.findIndex((r) => r.line === selectedLine);
  const position = found === -1 ? 0 : found;
  const selected = list[position];

  function moveTo(i: number) {
    const row = list[i];
    if (!row) return;
    setSelectedLine(row.line);
    setPage(Math.floor(i / PAGE));
  }

  return (
    <div className="grid gap-5">
      <PlanSummary
        result={result}
        onExclude={(lines) => onExclude(lines, true)}
        onIncludeAll={() => updateSpec((s) => ({ ...s, excludedLines: [] }))}
        onBack={onBack}
      />
      <DeliveryHistory result={result} onExclude={(lines) => onExclude(lines, true)} />

      <div className="grid items-start gap-5 2xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <PreflightRows
          filter={filter}
          counts={counts}
          rows={list.slice(currentPage * PAGE, currentPage * PAGE + PAGE)}
          total={list.length}
          page={currentPage}
          pages={pages}
          selectedLine={selected?.line ?? null}
          excluded={new Set(spec.excludedLines)}
          onFilter={(id) => {
            setFilter(id);
            setPage(0);
            setSelectedLine(null);
          }}
          onPage={setPage}
          onSelect={setSelectedLine}
          onExclude={(line, exclude) => onExclude([line], exclude)}
        />
        <RowMessageCard
          parsed={parsed}
          spec={spec}
          row={selected}
          position={position}
          count={list.length}
          onMove={moveTo}
        />
      </div>

      <Card aria-labelledby="template-check-heading">
        <CardHeader>
          <CardTitle id="template-check-heading">HTML check of the template</CardTitle>
          <CardDescription>
            What the HTML template uses that common email clients do not support, and every link that is not
            http(s) or mailto.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <HtmlCheckPanel html={spec.htmlBody} templates run={checkHtmlAction} />
        </CardContent>
      </Card>

      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" onClick={onBack}>
          <ArrowLeft aria-hidden /> Back to mapping
        </Button>
        <Button type="button" onClick={onNext}>
          Next: name and send <ArrowRight aria-hidden />
        </Button>
      </div>
    </div>
  );
}
