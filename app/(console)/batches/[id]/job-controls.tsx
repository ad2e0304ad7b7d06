'use client';

import { useQueryClient } from '@tanstack/react-query';
import { Ban, Loader2, Pause, Play, RotateCw } from 'lucide-react';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
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
import { cancelJobAction, pauseJobAction, resumeJobAction, retryFailedRowsAction } from './actions';
import type { JobSnapshot } from '@/lib/batch/dto';
import { formatCount } from '@/lib/format/display';

function useRefreshSnapshot(jobId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['batch-job', jobId] });
}

/** Pause, resume and cancel: only rendered for senders and admins (the actions check too). */
export function JobControls({ snapshot }: { snapshot: JobSnapshot }) {
  const { id, status } = snapshot.job;
  const refresh = useRefreshSnapshot(id);
  const [pending, startTransition] = useTransition();
  const [confirmCancel, setConfirmCancel] = useState(false);

  function run(action: typeof pauseJobAction, done: string) {
    startTransition(async () => {
      const result = await action({ jobId: id });
      if (result.ok) toast.success(done);
      else toast.error(result.error.message);
      await refresh();
    });
  }

  if (status !== 'running' && status !== 'paused') return null;
  const left = snapshot.rows.pending;
  return (
    <>
      {status === 'running' ? (
        <Button
          type="button"
          variant="outline"
          disabled={pending}
          onClick={() => run(pauseJobAction, 'Paused: no new requests start; those in flight finish')}
        >
          <Pause aria-hidden /> Pause
        </Button>
      ) : (
        <Button
          type="button"
          variant="outline"
          disabled={pending}
          onClick={() => run(resumeJobAction, 'Resumed')}
        >
          <Play aria-hidden /> Resume
        </Button>
      )}
      <Dialog open={confirmCancel} onOpenChange={setConfirmCancel}>
        <DialogTrigger asChild>
          <Button type="button" variant="outline" disabled={pending}>
            <Ban aria-hidden /> Cancel job
          </Button>
        </DialogTrigger>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Cancel this job?</DialogTitle>
            <DialogDescription>
              The {formatCount(left)} rows not sent yet are cancelled and will not go out. Rows already queued
              stay queued, and a request being sent right now finishes. A cancelled job cannot be resumed.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                Keep sending
              </Button>
            </DialogClose>
            <Button
              type="button"
              variant="destructive"
              disabled={pending}
              onClick={() => {
                setConfirmCancel(false);
                run(cancelJobAction, 'Cancelled: no more rows will be sent');
              }}
            >
              Cancel {formatCount(left)} rows
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}

/** The one "Retry failed rows" button, with how many rows go again and how many need a change first. */
export function RetryFailedCard({ snapshot }: { snapshot: JobSnapshot }) {
  const { id, currentTry } = snapshot.job;
  const refresh = useRefreshSnapshot(id);
  const [pending, startTransition] = useTransition();
  const [open, setOpen] = useState(false);
  const retryable = snapshot.retryable;
  const blocked = snapshot.rows.failed - retryable;

  function retry() {
    setOpen(false);
    startTransition(async () => {
      const result = await retryFailedRowsAction({ jobId: id });
      if (result.ok) {
        const { retriedRows, reopenedRows } = result.data;
        toast.success(
          retriedRows + reopenedRows > 0
            ? `${formatCount(retriedRows + reopenedRows)} failed rows are being sent again (try ${result.data.try})`
            : 'No failed row can be fixed by a retry',
        );
      } else toast.error(result.error.message);
      await refresh();
    });
  }

  return (
    <Card className="mb-6" aria-labelledby="retry-heading">
      <CardContent className="flex flex-wrap items-center justify-between gap-4 pt-5">
        <div className="grid gap-1 text-sm">
          <h2 id="retry-heading" className="text-base font-semibold">
            {formatCount(snapshot.rows.failed)} {snapshot.rows.failed === 1 ? 'row' : 'rows'} failed
          </h2>
          <p className="text-muted-foreground">
            {retryable > 0
              ? `${formatCount(retryable)} can be sent again under new idempotency keys (try ${currentTry + 1}); rows already queued are never sent twice.`
              : 'None of them can be fixed by sending again.'}
            {blocked > 0 ? ` ${formatCount(blocked)} need a change first (listed below).` : ''}
          </p>
        </div>
        <Dialog open={open} onOpenChange={setOpen}>
          <DialogTrigger asChild>
            <Button type="button" disabled={pending || retryable === 0}>
              {pending ? <Loader2 className="animate-spin" aria-hidden /> : <RotateCw aria-hidden />}
              Retry {formatCount(retryable)} failed {retryable === 1 ? 'row' : 'rows'}
            </Button>
          </DialogTrigger>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>
                Send {formatCount(retryable)} failed {retryable === 1 ? 'row' : 'rows'} again?
              </DialogTitle>
              <DialogDescription>
                Only rows that failed for a reason a retry can fix go again, in new requests under new keys
                (…:try:{currentTry + 1}). Queued rows are not touched.
                {blocked > 0 ? ` The ${formatCount(blocked)} rows that need a change stay failed.` : ''}
              </DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline">
                  Not now
                </Button>
              </DialogClose>
              <Button type="button" onClick={retry}>
                Retry {formatCount(retryable)} {retryable === 1 ? 'row' : 'rows'}
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      </CardContent>
    </Card>
  );
}
