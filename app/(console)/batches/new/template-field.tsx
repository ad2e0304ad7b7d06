'use client';

import { Badge } from '@/components/ui/badge';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { templateVariables } from '@/lib/mail-merge/template';

export type TemplateFieldName = 'subject' | 'htmlBody' | 'textBody';

/**
 * A template editor: `{{column}}` tags that match no column are flagged as the user types (an
 * error without a fallback, since it would go out as written), and syntax slips are listed.
 */
export function TemplateField({
  name,
  label,
  hint,
  value,
  columns,
  rows,
  onChange,
  onFocusField,
}: {
  name: TemplateFieldName;
  label: string;
  hint?: string;
  value: string;
  columns: readonly string[];
  rows?: number;
  onChange: (value: string) => void;
  onFocusField: (name: TemplateFieldName, el: HTMLInputElement | HTMLTextAreaElement) => void;
}) {
  const id = `template-${name}`;
  const { variables, tags, unknown, issues } = templateVariables(value, columns);
  const fatal = unknown.filter((u) => tags.some((t) => t.name === u && t.fallback === null));
  const described =
    [hint ? `${id}-hint` : null, unknown.length || issues.length ? `${id}-issues` : null]
      .filter(Boolean)
      .join(' ') || undefined;
  const common = {
    id,
    value,
    spellCheck: false,
    'aria-invalid': fatal.length > 0 || undefined,
    'aria-describedby': described,
  };
  return (
    <div className="grid gap-1.5">
      <div className="flex items-baseline justify-between gap-2">
        <Label htmlFor={id}>{label}</Label>
        {hint ? (
          <span id={`${id}-hint`} className="text-muted-foreground text-xs">
            {hint}
          </span>
        ) : null}
      </div>
      {rows ? (
        <Textarea
          {...common}
          rows={rows}
          className="font-mono text-xs"
          onChange={(e) => onChange(e.target.value)}
          onFocus={(e) => onFocusField(name, e.currentTarget)}
        />
      ) : (
        <Input
          {...common}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
          onFocus={(e) => onFocusField(name, e.currentTarget)}
        />
      )}
      <div id={`${id}-issues`} aria-live="polite" className="grid gap-1 empty:hidden">
        {unknown.map((u) => {
          const isFatal = fatal.includes(u);
          return (
            <p key={u} className={isFatal ? 'text-destructive text-sm' : 'text-warning text-sm'}>
              <code className="font-mono">{`{{${u}}}`}</code>{' '}
              {isFatal
                ? 'matches no column: it would be sent as written. Fix the name or add a fallback, like '
                : 'matches no column: every message gets its fallback, as in '}
              <code className="font-mono">{`{{${u}|…}}`}</code>
            </p>
          );
        })}
        {issues.map((issue) => (
          <p key={`${issue.kind}-${issue.start}`} className="text-warning text-sm">
            {issue.message}
          </p>
        ))}
      </div>
      {variables.length && unknown.length < variables.length ? (
        <p className="text-muted-foreground flex flex-wrap items-center gap-1 text-xs">
          Uses
          {variables
            .filter((v) => !unknown.includes(v))
            .map((v) => (
              <Badge key={v} variant="muted" className="font-mono">
                {v}
              </Badge>
            ))}
        </p>
      ) : null}
    </div>
  );
}
