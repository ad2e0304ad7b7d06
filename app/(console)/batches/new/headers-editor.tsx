'use client';

import { Plus, Trash2 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import type { BatchSpec } from '@/lib/mail-merge/mapping';
import { SourceControl } from './source-control';
import type { UpdateSpec } from './wizard-types';

/** Custom headers of every message: a name, and a column or a fixed value. */
export function HeadersEditor({
  spec,
  updateSpec,
  columns,
  sample,
}: {
  spec: BatchSpec;
  updateSpec: UpdateSpec;
  columns: readonly string[];
  sample: Readonly<Record<string, string>> | undefined;
}) {
  const update = (i: number, patch: Partial<BatchSpec['headers'][number]>) =>
    updateSpec((s) => ({ ...s, headers: s.headers.map((h, j) => (j === i ? { ...h, ...patch } : h)) }));
  return (
    <fieldset className="grid gap-3">
      <legend className="mb-1 text-sm font-semibold">Custom headers</legend>
      <p className="text-muted-foreground text-xs">
        Names start with X-. A header whose value is empty on a row is left out of that row’s message.
      </p>
      {spec.headers.map((h, i) => (
        <div
          key={i}
          className="grid items-start gap-3 rounded-md border p-3 md:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto]"
        >
          <div className="grid gap-1.5">
            <Label htmlFor={`header-${i}-name`}>Header {i + 1} name</Label>
            <Input
              id={`header-${i}-name`}
              value={h.name}
              placeholder="X-Campaign"
              autoComplete="off"
              onChange={(e) => update(i, { name: e.target.value })}
            />
          </div>
          <SourceControl
            id={`header-${i}-source`}
            label={`Header ${i + 1} value`}
            source={h.source}
            columns={columns}
            sample={sample}
            onChange={(source) => update(i, { source: source ?? { kind: 'fixed', value: '' } })}
          />
          <Button
            type="button"
            variant="ghost"
            size="icon"
            className="md:mt-6"
            aria-label={`Remove header ${i + 1}`}
            onClick={() => updateSpec((s) => ({ ...s, headers: s.headers.filter((_, j) => j !== i) }))}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      ))}
      <div>
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={() =>
            updateSpec((s) => ({
              ...s,
              headers: [...s.headers, { name: '', source: { kind: 'fixed', value: '' } }],
            }))
          }
        >
          <Plus aria-hidden /> Add header
        </Button>
      </div>
    </fieldset>
  );
}
