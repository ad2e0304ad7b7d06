import { Children, cloneElement, isValidElement } from 'react';
import { cn } from '@/lib/cn';
import { Label } from './ui/label';

type ControlProps = { id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string };

/**
 * A labelled control with its hint and error wired up for assistive technology: the child input
 * gets the id, aria-invalid and aria-describedby.
 */
export function FormField({
  id,
  label,
  hint,
  error,
  className,
  children,
}: {
  id: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  error?: string;
  className?: string;
  children: React.ReactNode;
}) {
  const described =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const control = Children.only(children);
  return (
    <div className={cn('grid gap-1.5', className)}>
      <div className="flex items-baseline justify-between gap-2">
        <Label htmlFor={id}>{label}</Label>
        {hint ? (
          <span id={`${id}-hint`} className="text-muted-foreground text-xs">
            {hint}
          </span>
        ) : null}
      </div>
      {isValidElement<ControlProps>(control)
        ? cloneElement(control, { id, 'aria-invalid': !!error || undefined, 'aria-describedby': described })
        : control}
      {error ? (
        <p id={`${id}-error`} className="text-destructive text-sm">
          {error}
        </p>
      ) : null}
    </div>
  );
}
