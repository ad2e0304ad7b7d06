import { Badge } from '@/components/ui/badge';

/** Amber text on an amber tint is below 4.5:1 at badge size in the light theme; a dot carries the colour instead. */
export function WarnBadge({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <Badge variant="outline" className={className}>
      <span aria-hidden className="bg-warning size-1.5 rounded-full" />
      {children}
    </Badge>
  );
}
