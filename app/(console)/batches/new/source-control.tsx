'use client';

import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import type { FieldSource } from '@/lib/mail-merge/mapping';

const FIXED = '__fixed__';

/** A message field's source: a column of the file (with the first row's value) or a fixed value. */
export function SourceControl({
  id,
  label,
  hint,
  source,
  columns,
  sample,
  required,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  source: FieldSource | undefined;
  columns: readonly string[];
  sample: Readonly<Record<string, string>> | undefined;
  required?: boolean;
  onChange: (source: FieldSource | undefined) => void;
}) {
  const value = !source ? '' : source.kind === 'fixed' ? FIXED : `col:${source.column}`;
  const missing = source?.kind === 'column' && !columns.includes(source.column);
  const example = source?.kind === 'column' && !missing ? sample?.[source.column] : undefined;
  const described =
    [hint ? `${id}-hint` : null, missing ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="grid content-start gap-1.5">
      <div className="flex items-baseline justify-between gap-2">
        <Label htmlFor={id}>{label}</Label>
        {hint ? (
          <span id={`${id}-hint`} className="text-muted-foreground text-right text-xs">
            {hint}
          </span>
        ) : null}
      </div>
      <NativeSelect
        id={id}
        value={value}
        aria-invalid={missing || undefined}
        aria-describedby={described}
        onChange={(e) => {
          const v = e.target.value;
          if (v === '') onChange(undefined);
          else if (v === FIXED)
            onChange({ kind: 'fixed', value: source?.kind === 'fixed' ? source.value : '' });
          else onChange({ kind: 'column', column: v.slice(4) });
        }}
      >
        <option value="">{required ? 'Choose a column or a fixed value' : 'Not set'}</option>
        {missing ? <option value={value}>{source.column} (not in this file)</option> : null}
        <optgroup label="Columns of the file">
          {columns.map((c) => (
            <option key={c} value={`col:${c}`}>
              {c}
            </option>
          ))}
        </optgroup>
        <option value={FIXED}>Fixed value for every row…</option>
      </NativeSelect>
      {source?.kind === 'fixed' ? (
        <Input
          id={`${id}-fixed`}
          aria-label={`${label}, fixed value`}
          value={source.value}
          autoComplete="off"
          onChange={(e) => onChange({ kind: 'fixed', value: e.target.value })}
        />
      ) : null}
      {example !== undefined ? (
        <p className="text-muted-foreground truncate text-xs" title={example}>
          First row: {example === '' ? <em>empty</em> : example}
        </p>
      ) : null}
      {missing ? (
        <p id={`${id}-error`} className="text-destructive text-sm">
          This file has no column “{source.column}”
        </p>
      ) : null}
    </div>
  );
}
