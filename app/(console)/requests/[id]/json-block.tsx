import { cn } from '@/lib/cn';

/** A scrollable, keyboard-reachable block of pretty-printed JSON or raw text. */
export function JsonBlock({ label, text, className }: { label: string; text: string; className?: string }) {
  return (
    // tabIndex: a scrolling region must be reachable by keyboard (axe scrollable-region-focusable).
    <pre
      tabIndex={0}
      aria-label={label}
      className={cn(
        'bg-muted/40 max-h-[32rem] overflow-auto rounded-md border p-3 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap',
        className,
      )}
    >
      {text}
    </pre>
  );
}
