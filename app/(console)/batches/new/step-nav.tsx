import { Check } from 'lucide-react';
import { cn } from '@/lib/cn';
import { STEPS, type StepId } from './wizard-types';

/** The wizard's steps as buttons: done, current, and the ones not reachable yet (no file). */
export function StepNav({
  step,
  canReach,
  onGoTo,
}: {
  step: StepId;
  canReach: (step: StepId) => boolean;
  onGoTo: (step: StepId) => void;
}) {
  const index = STEPS.findIndex((s) => s.id === step);
  return (
    <nav aria-label="Steps of the mail merge">
      <ol className="flex flex-wrap gap-2">
        {STEPS.map((s, i) => {
          const current = s.id === step;
          const done = i < index;
          return (
            <li key={s.id}>
              <button
                type="button"
                disabled={!canReach(s.id)}
                aria-current={current ? 'step' : undefined}
                onClick={() => onGoTo(s.id)}
                className={cn(
                  'flex items-center gap-2 rounded-full border px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50',
                  current ? 'border-primary bg-primary text-primary-foreground' : 'bg-card hover:bg-accent',
                )}
              >
                <span
                  className={cn(
                    'flex size-5 items-center justify-center rounded-full text-xs',
                    current
                      ? 'bg-primary-foreground/20'
                      : done
                        ? 'bg-success/15 text-success'
                        : 'bg-muted text-muted-foreground',
                  )}
                  aria-hidden
                >
                  {done ? <Check className="size-3" /> : i + 1}
                </span>
                {s.label}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
