'use client';

import { useRef } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { BatchSpec } from '@/lib/mail-merge/mapping';
import { TemplateField, type TemplateFieldName } from './template-field';
import type { UpdateSpec } from './wizard-types';

type Focused = { name: TemplateFieldName; el: HTMLInputElement | HTMLTextAreaElement };

const TEMPLATE_FIELDS: { name: TemplateFieldName; label: string; hint?: string; rows?: number }[] = [
  { name: 'subject', label: 'Subject' },
  { name: 'htmlBody', label: 'HTML body', hint: 'Required by Sendmux', rows: 10 },
  { name: 'textBody', label: 'Text body', hint: 'Optional plain-text alternative', rows: 5 },
];

/** Subject, HTML and text as templates, with a button per column that puts `{{column}}` at the cursor. */
export function ContentTemplates({
  spec,
  updateSpec,
  columns,
}: {
  spec: BatchSpec;
  updateSpec: UpdateSpec;
  columns: readonly string[];
}) {
  // The template field the user was last in: a column button inserts there, at its cursor.
  const lastField = useRef<Focused | null>(null);
  const onFocusField = (name: TemplateFieldName, el: Focused['el']) => (lastField.current = { name, el });

  function insertVariable(column: string) {
    const tag = `{{${column}}}`;
    const target = lastField.current;
    if (!target) {
      updateSpec((s) => ({ ...s, htmlBody: s.htmlBody + tag }));
      return;
    }
    const { name, el } = target;
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? start;
    updateSpec((s) => ({ ...s, [name]: s[name].slice(0, start) + tag + s[name].slice(end) }));
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(start + tag.length, start + tag.length);
    });
  }

  return (
    <Card aria-labelledby="content-heading">
      <CardHeader>
        <CardTitle id="content-heading">Content</CardTitle>
        <CardDescription>
          Subject, HTML and text are templates: <code className="font-mono">{'{{column}}'}</code> puts in the
          row’s value, <code className="font-mono">{'{{column|fallback}}'}</code> uses the fallback when the
          cell is empty. Values are HTML-escaped in the HTML body. Sendmux’s own tags such as{' '}
          <code className="font-mono">[DP_NAME]</code> pass through untouched.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="grid gap-1.5">
          <p id="variables-label" className="text-sm font-medium">
            Insert a column at the cursor
          </p>
          <div role="group" aria-labelledby="variables-label" className="flex flex-wrap gap-1.5">
            {columns.map((c) => (
              <Button
                key={c}
                type="button"
                size="sm"
                variant="secondary"
                className="font-mono"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => insertVariable(c)}
              >
                {`{{${c}}}`}
              </Button>
            ))}
          </div>
        </div>
        {TEMPLATE_FIELDS.map((f) => (
          <TemplateField
            key={f.name}
            {...f}
            value={spec[f.name]}
            columns={columns}
            onChange={(v) => updateSpec((s) => ({ ...s, [f.name]: v }))}
            onFocusField={onFocusField}
          />
        ))}
      </CardContent>
    </Card>
  );
}
