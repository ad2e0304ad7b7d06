import { Loader2, TriangleAlert } from 'lucide-react';
import { cn } from '@/lib/cn';
import type { RefusedFile } from '@/lib/compose/file-admission';

/** Under a file picker: the files refused and why, and the ones still being read or uploaded. Announced politely. */
export function FileIntakeStatus({
  refused,
  busy,
  busyVerb,
  className,
}: {
  refused: RefusedFile[];
  busy: string[];
  busyVerb: string;
  className?: string;
}) {
  return (
    <div aria-live="polite" className={cn('grid gap-2', className)}>
      {refused.map((r) => (
        <p key={`${r.name}-${r.reason}`} className="text-destructive flex items-start gap-2 text-sm">
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>
            <strong>{r.name}</strong> was not added: {r.reason}
          </span>
        </p>
      ))}
      {busy.map((name) => (
        <p key={name} className="text-muted-foreground flex items-center gap-2 text-sm">
          <Loader2 className="size-4 animate-spin" aria-hidden /> {busyVerb} {name}…
        </p>
      ))}
    </div>
  );
}
