'use client';

import { AlertCircle } from 'lucide-react';
import { useEffect, useId, useRef } from 'react';
import type { FieldErrors } from 'react-hook-form';
import { flattenErrors } from '@/lib/forms/form-errors';

/** One problem: `label` may be empty when the message names its field itself. */
export type SummaryItem = { fieldId: string | null; label: string; message: string };

/**
 * A react-hook-form errors tree as summary items, in form order. `root` (an error the server gave
 * for the whole form) links to `rootFieldId` when one field is the place to fix it.
 */
export function summaryFromErrors(
  errors: FieldErrors,
  labels: Readonly<Record<string, string>>,
  fieldIdFor: (path: string) => string,
  rootFieldId: string | null = null,
): SummaryItem[] {
  return flattenErrors(errors).map(([path, message]) =>
    path === ''
      ? { fieldId: rootFieldId, label: '', message }
      : { fieldId: fieldIdFor(path), label: labels[path] ?? path, message },
  );
}

/**
 * The list of problems at the top of a form (GOV.UK error-summary pattern): it takes focus when
 * it appears, and each entry links to its field.
 */
export function ErrorSummary({
  title,
  items,
  attempt = 0,
}: {
  title: string;
  items: SummaryItem[];
  /** The form's submit count: a new attempt with problems left takes focus again. */
  attempt?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  // Focus moves here when problems appear and on each new attempt, not while they are being fixed.
  const shown = items.length > 0;
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown, attempt]);
  if (items.length === 0) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      aria-labelledby={titleId}
      className="border-destructive/50 bg-destructive/5 focus-visible:ring-destructive rounded-lg border p-4 text-sm outline-none focus-visible:ring-2"
    >
      <h2 id={titleId} className="mb-2 flex items-center gap-2 font-semibold">
        <AlertCircle className="text-destructive size-4" aria-hidden /> {title}
      </h2>
      <ul className="grid gap-1">
        {items.map((item, i) => {
          const text = item.label ? `${item.label}: ${item.message}` : item.message;
          return (
            <li key={`${item.fieldId}-${i}`}>
              {item.fieldId ? (
                <a
                  href={`#${item.fieldId}`}
                  className="text-destructive underline underline-offset-2"
                  onClick={(e) => {
                    const el = document.getElementById(item.fieldId!);
                    if (el) {
                      e.preventDefault();
                      el.scrollIntoView({ block: 'center' });
                      el.focus();
                    }
                  }}
                >
                  {text}
                </a>
              ) : (
                <span>{text}</span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
