'use client';

import { AlertCircle } from 'lucide-react';
import { useEffect, useRef } from 'react';

export type SummaryItem = { fieldId: string | null; label: string; message: string };

/**
 * The list of problems at the top of a form (GOV.UK error-summary pattern): it takes focus when
 * it appears, and each entry links to its field.
 */
export function ErrorSummary({ title, items }: { title: string; items: SummaryItem[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const signature = items.map((i) => `${i.fieldId}:${i.message}`).join('|');
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);
  if (items.length === 0) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      aria-labelledby="error-summary-title"
      className="border-destructive/50 bg-destructive/5 focus-visible:ring-destructive rounded-lg border p-4 text-sm outline-none focus-visible:ring-2"
    >
      <h2 id="error-summary-title" className="mb-2 flex items-center gap-2 font-semibold">
        <AlertCircle className="text-destructive size-4" aria-hidden /> {title}
      </h2>
      <ul className="grid gap-1">
        {items.map((item, i) => (
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
                {item.label}: {item.message}
              </a>
            ) : (
              <span>
                {item.label}: {item.message}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
