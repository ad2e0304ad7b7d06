'use client';

import { Loader2, Trash2 } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { clearOutboxAction } from './actions';
import { formatCount } from '@/lib/format/display';

export function ClearOutboxButton({ count }: { count: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  function clear() {
    startTransition(async () => {
      const result = await clearOutboxAction({ confirm: true });
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      setOpen(false);
      toast.success(
        `Cleared ${result.data.deleted} message${result.data.deleted === 1 ? '' : 's'} from the outbox`,
      );
      router.push('/sandbox');
      router.refresh();
    });
  }
  return (
    <Dialog open={open} onOpenChange={(next) => !pending && setOpen(next)}>
      <DialogTrigger asChild>
        <Button variant="outline" disabled={count === 0} className="text-destructive hover:text-destructive">
          <Trash2 aria-hidden /> Clear outbox
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Clear the outbox?</DialogTitle>
          <DialogDescription>
            This deletes all {formatCount(count)} message{count === 1 ? '' : 's'} the sandbox has accepted,
            with their inline attachments. It cannot be undone and is recorded in the audit log.
          </DialogDescription>
        </DialogHeader>
        <p className="text-muted-foreground text-sm">
          Stored idempotent answers stay: replaying an earlier request returns its original answer and adds
          nothing to the outbox.
        </p>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline" disabled={pending}>
              Cancel
            </Button>
          </DialogClose>
          <Button variant="destructive" onClick={clear} disabled={pending}>
            {pending ? <Loader2 className="animate-spin" aria-hidden /> : <Trash2 aria-hidden />}
            Clear {formatCount(count)} message{count === 1 ? '' : 's'}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
