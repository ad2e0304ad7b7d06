'use client';

import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useRef } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { formatCount } from '@/lib/format/display';
import type { CsvTable } from '@/lib/mail-merge/csv';
import type { BatchSpec } from '@/lib/mail-merge/mapping';
import type { PreflightRow } from '@/lib/mail-merge/preflight';
import { MessagePreview } from './message-preview';

/** The chosen row's message as it would be sent, with the previous and next row of the list. */
export function RowMessageCard({
  parsed,
  spec,
  row,
  position,
  count,
  onMove,
}: {
  parsed: CsvTable;
  spec: BatchSpec;
  row: PreflightRow | undefined;
  /** The row's place in the filtered list (0-based), and the list's length. */
  position: number;
  count: number;
  onMove: (position: number) => void;
}) {
  const previous = useRef<HTMLButtonElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  return (
    <Card aria-labelledby="message-preview-heading" className="2xl:sticky 2xl:top-4">
      <CardHeader className="gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <CardTitle id="message-preview-heading">
            {row ? `Message for line ${row.line}` : 'Message'}
          </CardTitle>
          {count ? (
            <div className="flex items-center gap-1">
              <Button
                type="button"
                variant="outline"
                size="sm"
                ref={previous}
                disabled={position === 0}
                onClick={() => {
                  onMove(position - 1);
                  // The button is disabled at the first row, which would drop focus.
                  if (position - 1 === 0) next.current?.focus();
                }}
              >
                <ChevronLeft aria-hidden /> Previous row
              </Button>
              <span className="text-muted-foreground px-1 text-xs tabular-nums">
                {formatCount(position + 1)} / {formatCount(count)}
              </span>
              <Button
                type="button"
                variant="outline"
                size="sm"
                ref={next}
                disabled={position >= count - 1}
                onClick={() => {
                  onMove(position + 1);
                  if (position + 1 >= count - 1) previous.current?.focus();
                }}
              >
                Next row <ChevronRight aria-hidden />
              </Button>
            </div>
          ) : null}
        </div>
      </CardHeader>
      <CardContent>
        {row ? (
          <MessagePreview parsed={parsed} spec={spec} row={row} />
        ) : (
          <p className="text-muted-foreground text-sm">Choose a row to see its message.</p>
        )}
      </CardContent>
    </Card>
  );
}
