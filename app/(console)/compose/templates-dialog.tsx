'use client';

import { BookMarked, Loader2 } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import type { TemplateSummary } from '@/lib/templates/store';
import type { MessageInput } from '@/lib/schemas/message';
import { toTemplateMessage } from '@/lib/compose/templates';
import { TemplateList } from '@/components/template-list';
import { deleteTemplateAction, saveTemplateAction } from './actions';

export function TemplatesDialog({
  templates,
  current,
  onLoad,
}: {
  templates: TemplateSummary[];
  current: MessageInput;
  onLoad: (t: TemplateSummary) => void;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [confirmOverwrite, setConfirmOverwrite] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function save() {
    startTransition(async () => {
      const result = await saveTemplateAction({
        name,
        overwrite: confirmOverwrite,
        message: toTemplateMessage(current),
      });
      if (!result.ok) {
        if (result.error.code === 'name_taken') setConfirmOverwrite(true);
        setError(
          result.fieldErrors ? Object.values(result.fieldErrors).flat().join('; ') : result.error.message,
        );
        return;
      }
      toast.success(`Saved template “${name.trim()}”`);
      setError(null);
      setConfirmOverwrite(false);
      setName('');
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button type="button" variant="outline">
          <BookMarked aria-hidden /> Templates
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle>Templates</DialogTitle>
          <DialogDescription>
            Shared with everyone on this console. Attachments are not kept in templates.
          </DialogDescription>
        </DialogHeader>
        <form
          className="grid gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <label htmlFor="template-name" className="text-sm font-medium">
            Save the current message as
          </label>
          <div className="flex gap-2">
            <Input
              id="template-name"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setConfirmOverwrite(false);
                setError(null);
              }}
              placeholder="Welcome email"
              aria-invalid={!!error || undefined}
              aria-describedby={error ? 'template-name-error' : undefined}
            />
            <Button type="submit" disabled={pending || !name.trim()}>
              {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              {confirmOverwrite ? 'Replace' : 'Save'}
            </Button>
          </div>
          {error ? (
            <p id="template-name-error" className="text-destructive text-sm">
              {error}
            </p>
          ) : null}
        </form>
        <div className="grid gap-2">
          <h3 className="text-sm font-medium">Load a template</h3>
          <TemplateList
            templates={templates}
            empty="No templates yet."
            className="max-h-72"
            onLoad={(t) => {
              onLoad(t);
              setOpen(false);
            }}
            onDelete={(t) => {
              if (!window.confirm(`Delete the template “${t.name}” for everyone?`)) return;
              startTransition(async () => {
                const result = await deleteTemplateAction({ id: t.id });
                if (!result.ok) toast.error(result.error.message);
                router.refresh();
              });
            }}
          />
        </div>
      </DialogContent>
    </Dialog>
  );
}
