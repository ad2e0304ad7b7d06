import { Trash2 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import { formatLocalTime } from '@/lib/format/display';
import type { TemplateSummary } from '@/lib/templates/store';

/** The saved templates, each with Load (and Delete where the caller allows it): Compose and the batch wizard. */
export function TemplateList({
  templates,
  empty,
  className,
  onLoad,
  onDelete,
}: {
  templates: TemplateSummary[];
  empty: React.ReactNode;
  className?: string;
  onLoad: (t: TemplateSummary) => void;
  onDelete?: (t: TemplateSummary) => void;
}) {
  if (templates.length === 0) return <p className="text-muted-foreground text-sm">{empty}</p>;
  return (
    <ul className={cn('grid gap-1 overflow-y-auto', className)}>
      {templates.map((t) => (
        <li key={t.id} className="flex items-center gap-2 rounded-md border px-3 py-2 text-sm">
          <span className="min-w-0 flex-1">
            <span className="block truncate font-medium">{t.name}</span>
            <span className="text-muted-foreground block truncate text-xs">
              {t.message.subject || '(no subject)'} · by {t.createdBy ?? 'unknown'}
              {t.updatedBy ? ` · changed by ${t.updatedBy}` : ''} · {formatLocalTime(t.updatedAt)}
            </span>
          </span>
          <Button type="button" size="sm" variant="outline" onClick={() => onLoad(t)}>
            Load<span className="sr-only"> {t.name}</span>
          </Button>
          {onDelete ? (
            <Button
              type="button"
              size="icon-sm"
              variant="ghost"
              aria-label={`Delete template ${t.name}`}
              onClick={() => onDelete(t)}
            >
              <Trash2 aria-hidden />
            </Button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
