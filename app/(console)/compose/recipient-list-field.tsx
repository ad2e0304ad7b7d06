'use client';

import { X } from 'lucide-react';
import { useState } from 'react';
import { useFieldArray, useFormContext } from 'react-hook-form';
import { parseRecipientList } from '@/lib/mail-merge/recipients';
import { cn } from '@/lib/cn';
import { MAX_BCC, MAX_CC } from '@/lib/schemas/limits';
import type { MessageInput } from '@/lib/schemas/message';
import { fieldId } from './fields';

/** Cc or Bcc: addresses as removable chips; typing or pasting `Ada <ada@x.com>, bob@y.com` adds several. */
export function RecipientListField({ name, label }: { name: 'cc' | 'bcc'; label: string }) {
  const { control, formState, clearErrors } = useFormContext<MessageInput>();
  const { fields, append, remove } = useFieldArray({ control, name });
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const max = name === 'cc' ? MAX_CC : MAX_BCC;
  const listErrors = formState.errors[name];
  const listMessage = listErrors?.message ?? listErrors?.root?.message;
  const inputId = fieldId(name);

  function commit(value: string) {
    if (!value.trim()) return;
    const { entries, invalid } = parseRecipientList(value);
    entries.forEach((r) => append({ email: r.email, name: r.name }));
    if (entries.length) clearErrors(name);
    // Whatever could not be read stays in the box, so nothing typed is lost.
    setText(invalid.join(', '));
    setProblem(invalid.length ? `Not an email address: ${invalid.map((i) => `“${i}”`).join(', ')}` : null);
  }

  return (
    <div className="grid gap-1.5">
      <div className="flex items-baseline justify-between">
        <label htmlFor={inputId} className="text-sm font-medium">
          {label}
        </label>
        <span className="text-muted-foreground text-xs">
          {fields.length} of {max}
        </span>
      </div>
      <div
        className={cn(
          'border-input bg-background focus-within:outline-ring flex min-h-9 flex-wrap items-center gap-1 rounded-md border p-1 shadow-xs focus-within:outline-2 focus-within:outline-offset-2',
          (listMessage || problem) && 'border-destructive',
        )}
      >
        {fields.length > 0 ? (
          <ul aria-label={`${label} recipients`} className="contents">
            {fields.map((f, i) => {
              const err = formState.errors[name]?.[i];
              const message = err?.email?.message ?? err?.name?.message;
              return (
                <li
                  key={f.id}
                  id={fieldId(`${name}.${i}`)}
                  tabIndex={-1}
                  title={message}
                  className={cn(
                    'bg-muted inline-flex max-w-full items-center gap-1 rounded py-0.5 pr-0.5 pl-2 text-xs',
                    message && 'bg-destructive/12 text-destructive ring-destructive ring-1',
                  )}
                >
                  <span className="truncate">
                    {f.name ? `${f.name} <${f.email}>` : f.email}
                    {message ? <span className="sr-only">: {message}</span> : null}
                  </span>
                  <button
                    type="button"
                    className="hover:bg-background rounded p-0.5"
                    aria-label={`Remove ${f.email} from ${label}`}
                    onClick={() => remove(i)}
                  >
                    <X className="size-3" aria-hidden />
                  </button>
                </li>
              );
            })}
          </ul>
        ) : null}
        <input
          id={inputId}
          value={text}
          aria-invalid={!!(listMessage || problem) || undefined}
          aria-describedby={listMessage || problem ? `${inputId}-error` : `${inputId}-hint`}
          placeholder={fields.length ? 'Add more…' : 'ada@example.com, Bob <bob@example.com>'}
          className="placeholder:text-muted-foreground/80 h-7 min-w-40 flex-1 bg-transparent px-1 text-sm outline-none"
          onChange={(e) => {
            const v = e.target.value;
            if (/[,;\n]\s*$/.test(v)) commit(v);
            else setText(v);
          }}
          onPaste={(e) => {
            e.preventDefault();
            commit(`${text}${e.clipboardData.getData('text')}`);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !(e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              commit(text);
            } else if (e.key === 'Backspace' && text === '' && fields.length) remove(fields.length - 1);
          }}
          onBlur={() => commit(text)}
        />
      </div>
      <p id={`${inputId}-hint`} className="sr-only">
        Type or paste addresses separated by commas; press Enter to add them.
      </p>
      {listMessage || problem ? (
        <p id={`${inputId}-error`} className="text-destructive text-sm">
          {problem ?? listMessage}
        </p>
      ) : null}
      {formState.errors[name] && Array.isArray(formState.errors[name]) ? (
        <ul className="text-destructive text-sm">
          {fields.map((f, i) => {
            const err = formState.errors[name]?.[i];
            const message = err?.email?.message ?? err?.name?.message;
            return message ? (
              <li key={f.id}>
                {f.email || `Entry ${i + 1}`}: {message}
              </li>
            ) : null;
          })}
        </ul>
      ) : null}
    </div>
  );
}
