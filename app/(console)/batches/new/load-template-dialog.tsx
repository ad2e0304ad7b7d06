'use client';

import { BookMarked } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { TemplateList } from '@/components/template-list';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { messageFromTemplate } from '@/lib/compose/templates';
import { specFromMessage } from '@/lib/mail-merge/mapping';
import type { TemplateSummary } from '@/lib/templates/store';
import type { UpdateSpec } from './wizard-types';

/** A Compose template's sender, headers and content as fixed values and templates of the batch. */
export function LoadTemplateDialog({
  templates,
  updateSpec,
}: {
  templates: TemplateSummary[];
  updateSpec: UpdateSpec;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button type="button" variant="outline">
          <BookMarked aria-hidden /> Load a Compose template
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle>Load a Compose template</DialogTitle>
          <DialogDescription>
            Its sender, Reply-To, Cc, Bcc, headers, subject and bodies become fixed values and templates here.
            The To mapping is kept.
          </DialogDescription>
        </DialogHeader>
        <TemplateList
          templates={templates}
          empty="No templates yet. Save one from Compose with “Templates → Save”."
          className="max-h-80"
          onLoad={(t) => {
            updateSpec((s) => specFromMessage(messageFromTemplate(t.message), s));
            setOpen(false);
            toast.success(`Loaded the template “${t.name}”`);
          }}
        />
      </DialogContent>
    </Dialog>
  );
}
