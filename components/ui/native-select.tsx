import { ChevronDown } from 'lucide-react';
import { cn } from '@/lib/cn';

/**
 * A styled native <select>: keyboard, screen readers and autofill behave as users expect.
 * `className` sizes the wrapper (width); `compact` makes it as tall as small buttons.
 */
export function NativeSelect({
  className,
  compact,
  children,
  ...props
}: React.ComponentProps<'select'> & { compact?: boolean }) {
  return (
    <div className={cn('relative', className)}>
      <select
        className={cn(
          'border-input bg-background aria-invalid:border-destructive w-full appearance-none rounded-md border py-1 pr-8 pl-3 text-sm shadow-xs disabled:opacity-50',
          compact ? 'h-8' : 'h-9',
        )}
        {...props}
      >
        {children}
      </select>
      <ChevronDown
        aria-hidden
        className="text-muted-foreground pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2"
      />
    </div>
  );
}
