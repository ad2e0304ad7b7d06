import { cn } from '@/lib/cn';

/** A stacked progress bar; segments are fractions of the whole. */
export function Progress({
  segments,
  label,
  className,
}: {
  segments: { value: number; className: string; name: string }[];
  label: string;
  className?: string;
}) {
  const total = segments.reduce((sum, s) => sum + s.value, 0);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(total * 100)}
      className={cn('bg-muted flex h-2.5 w-full overflow-hidden rounded-full', className)}
    >
      {segments.map((s) => (
        <div
          key={s.name}
          title={s.name}
          className={cn('h-full transition-[width]', s.className)}
          style={{ width: `${Math.min(100, s.value * 100)}%` }}
        />
      ))}
    </div>
  );
}
