import { cn } from '@/lib/cn';
import { withStepTimes, type TranscriptKind, type TranscriptLine } from '@/lib/format/smtp-transcript';

const KIND: Record<TranscriptKind, { mark: string; label: string; className: string }> = {
  client: { mark: 'C:', label: 'Console sent', className: 'text-primary font-medium' },
  server: { mark: 'S:', label: 'Server replied', className: '' },
  info: { mark: '··', label: 'Note', className: 'text-muted-foreground' },
  tls: { mark: 'TLS', label: 'TLS', className: 'text-success font-medium' },
  error: { mark: '!!', label: 'Stopped', className: 'text-destructive font-medium' },
};

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

/**
 * An SMTP conversation, one row per line: when it happened, who spoke, what was said, and for a
 * reply how long the step took. The lines arrive redacted (the AUTH secret is ***).
 */
export function SmtpTranscript({
  lines,
  className,
  pending = false,
}: {
  lines: readonly TranscriptLine[];
  className?: string;
  pending?: boolean;
}) {
  const timed = withStepTimes(lines);
  return (
    // tabIndex: a scrolling region must be reachable by keyboard (axe scrollable-region-focusable).
    <div
      tabIndex={0}
      role="region"
      aria-label="SMTP transcript"
      className={cn(
        'bg-muted/40 max-h-[36rem] overflow-auto rounded-md border py-2 font-mono text-xs',
        className,
      )}
    >
      <ol className="min-w-[36rem]">
        {timed.map((line, i) => {
          const kind = KIND[line.kind];
          return (
            <li
              key={i}
              className="grid grid-cols-[5.5rem_2.5rem_minmax(0,1fr)_4.5rem] gap-x-2 px-3 py-0.5 leading-relaxed"
            >
              <span className="text-muted-foreground text-right tabular-nums">+{ms(line.at)}</span>
              <span className={kind.className}>
                <span aria-hidden>{kind.mark}</span>
                <span className="sr-only">{kind.label}:</span>
              </span>
              <span className={cn('break-words whitespace-pre-wrap', kind.className)}>
                {line.text}
                {line.note ? <span className="text-muted-foreground font-normal"> — {line.note}</span> : null}
              </span>
              <span className="text-muted-foreground text-right tabular-nums">
                {line.stepMs !== null ? (
                  <>
                    <span className="sr-only">took </span>
                    {ms(line.stepMs)}
                  </>
                ) : null}
              </span>
            </li>
          );
        })}
        {pending ? (
          <li className="text-muted-foreground px-3 py-0.5 pl-[9.5rem]" aria-hidden>
            <span className="animate-pulse">…</span>
          </li>
        ) : null}
      </ol>
    </div>
  );
}
