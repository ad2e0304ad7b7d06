'use client';

import { ArrowLeft, CircleAlert, Loader2, Send } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import { FormField } from '@/components/form-field';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Progress } from '@/components/ui/progress';
import type { BatchSpec } from '@/lib/mail-merge/mapping';
import type { PreflightResult } from '@/lib/mail-merge/preflight';
import type { KeyProfileSummary } from '@/lib/sendmux/profiles';
import { MAX_JOB_NAME } from '@/lib/schemas/batch-values';
import type { StartBatchResult, StartProblem } from './actions';
import type { StartBatchRequest } from '@/lib/schemas/batch';
import type { LoadedCsv, StepId } from './wizard-types';
import { postWithProgress } from './post-with-progress';
import { formatBytes, formatCount } from '@/lib/format/display';
import { randomId } from '@/lib/ids';

/** Step 4: name the job, read what will go out, confirm, and start it on the server. */
export function SendStep({
  loaded,
  spec,
  profile,
  profiles,
  jobName,
  onJobName,
  result,
  onBack,
  onGoTo,
}: {
  loaded: LoadedCsv;
  spec: BatchSpec;
  profile: string;
  profiles: KeyProfileSummary[];
  jobName: string;
  onJobName: (name: string) => void;
  result: PreflightResult;
  onBack: () => void;
  onGoTo: (step: StepId) => void;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  // How much of the file the server has read so far, while it is being sent.
  const [upload, setUpload] = useState<{ sent: number; total: number } | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [failure, setFailure] = useState<{
    /** When the console cannot say whether a job started (no result, the connection broke). */
    title?: string;
    message: string;
    problems: StartProblem[];
    jobId?: string;
  } | null>(null);
  const { plan } = result;
  const profileLabel = profiles.find((p) => p.name === profile);

  const blockers: string[] = [];
  if (plan.invalid)
    blockers.push(
      `${formatCount(plan.invalid)} ${plan.invalid === 1 ? 'row has' : 'rows have'} errors: exclude ${plan.invalid === 1 ? 'it' : 'them'} or fix the file on the Preview step.`,
    );
  for (const p of result.problems) if (p.severity === 'error') blockers.push(p.message);

  function askToConfirm() {
    const name = jobName.trim();
    if (!name) {
      setNameError('Name the job');
      document.getElementById('job-name')?.focus();
      return;
    }
    if (name.length > MAX_JOB_NAME) {
      setNameError(`Job names are at most ${MAX_JOB_NAME} characters`);
      return;
    }
    setConfirming(true);
  }

  async function start() {
    setConfirming(false);
    setSending(true);
    setFailure(null);
    setUpload(null);
    let sentBytes = 0;
    const meta: StartBatchRequest = {
      name: jobName.trim(),
      profile,
      delimiter: loaded.parsed.delimiter,
      encoding: loaded.encoding,
      spec,
      // Inside the body, so that the same upload sent again (as a browser resends a POST whose
      // connection broke) starts no second job.
      uploadId: randomId(24),
    };
    try {
      // The file goes as it is on disk after one line of JSON: the browser streams it from the
      // disk, and the server reads, checks and stores it as it arrives (app/api/batches/route.ts).
      const answer = await postWithProgress(
        '/api/batches',
        new Blob([JSON.stringify(meta), '\n', loaded.file]),
        (sent, total) => {
          sentBytes = sent;
          setUpload({ sent, total });
        },
      );
      const response = answer.body as (StartBatchResult & { fieldErrors?: Record<string, string[]> }) | null;
      if (!response || typeof response !== 'object' || !('ok' in response)) {
        setFailure({
          title: 'No result from the console',
          message: `The console answered ${answer.status} without a result. Check Batches for a job named “${meta.name}” before sending again.`,
          problems: [],
        });
        setSending(false);
        return;
      }
      if (response.ok) {
        toast.success(`Job started: ${formatCount(response.data.rows)} messages are being sent`);
        router.push(`/batches/${response.data.jobId}`);
        return;
      }
      const fieldProblems = Object.entries(response.fieldErrors ?? {}).flatMap(([field, messages]) =>
        messages.map((m) => ({ message: `${field}: ${m}` })),
      );
      if (response.fieldErrors?.name) setNameError(response.fieldErrors.name[0] ?? null);
      setFailure({
        ...(response.error.code === 'duplicate_upload' ? { title: 'Started once, not twice' } : {}),
        message: response.error.message,
        problems: [...(response.problems ?? []), ...fieldProblems],
        jobId: response.jobId,
      });
      setSending(false);
    } catch {
      setFailure(
        sentBytes === 0
          ? {
              message:
                'The console did not answer; nothing was started. Check your connection and send again.',
              problems: [],
            }
          : {
              title: 'The upload broke off',
              message:
                'The connection broke off while the file was being sent. A job that had started was stopped where it was: check Batches for it before sending again.',
              problems: [],
            },
      );
      setSending(false);
    }
  }

  return (
    <Card aria-labelledby="send-heading">
      <CardHeader>
        <CardTitle id="send-heading" tabIndex={-1} data-step-heading>
          4. Name the job and send
        </CardTitle>
        <CardDescription>
          The server reads the file again, checks every row itself and sends only what it finds valid. The job
          then runs on the server: once its page opens, you can close this tab.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid max-w-3xl gap-5">
        <FormField
          id="job-name"
          label="Job name"
          hint="Shown in the list of batches"
          error={nameError ?? undefined}
        >
          <Input
            value={jobName}
            maxLength={MAX_JOB_NAME + 20}
            autoComplete="off"
            onChange={(e) => {
              onJobName(e.target.value);
              setNameError(null);
            }}
          />
        </FormField>
        <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-1.5 text-sm">
          <dt className="text-muted-foreground">File</dt>
          <dd>
            {loaded.file.name} ({formatBytes(loaded.file.size)}, {formatCount(plan.rows)} rows)
          </dd>
          <dt className="text-muted-foreground">Messages</dt>
          <dd>
            {formatCount(plan.messages)} in {formatCount(plan.requests)}{' '}
            {plan.requests === 1 ? 'request' : 'requests'} of ≤ {plan.requestSize},{' '}
            {formatBytes(plan.totalBytes)} in all
          </dd>
          <dt className="text-muted-foreground">Excluded lines</dt>
          <dd>
            {spec.excludedLines.length
              ? spec.excludedLines.join(', ').slice(0, 300) +
                (spec.excludedLines.join(', ').length > 300 ? '…' : '')
              : 'none'}
          </dd>
          <dt className="text-muted-foreground">Attachments</dt>
          <dd>{spec.attachments.length ? spec.attachments.map((a) => a.filename).join(', ') : 'none'}</dd>
          <dt className="text-muted-foreground">Key profile</dt>
          <dd>{profileLabel ? `${profileLabel.name} (${profileLabel.maskedKey})` : profile}</dd>
        </dl>
        {blockers.length ? (
          <Alert variant="destructive">
            <CircleAlert aria-hidden />
            <AlertTitle>Not ready to send</AlertTitle>
            <AlertDescription>
              <ul className="list-disc pl-4">
                {blockers.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
              <Button
                type="button"
                size="sm"
                variant="outline"
                className="mt-2"
                onClick={() => onGoTo('preview')}
              >
                <ArrowLeft aria-hidden /> Back to the preflight
              </Button>
            </AlertDescription>
          </Alert>
        ) : null}
        <div aria-live="polite">
          {failure ? (
            <Alert variant="destructive">
              <CircleAlert aria-hidden />
              <AlertTitle>
                {failure.title ?? (failure.jobId ? 'The job was stopped' : 'Nothing was sent')}
              </AlertTitle>
              <AlertDescription className="grid gap-2">
                <p>{failure.message}</p>
                {failure.jobId ? (
                  <p>
                    <Link className="underline" href={`/batches/${failure.jobId}`}>
                      See what was sent
                    </Link>
                  </p>
                ) : null}
                {failure.problems.length ? (
                  <ul className="list-disc pl-4">
                    {failure.problems.map((p, i) => (
                      <li key={i}>{p.line ? `Line ${p.line}: ${p.message}` : p.message}</li>
                    ))}
                  </ul>
                ) : null}
              </AlertDescription>
            </Alert>
          ) : null}
        </div>
        {sending && upload ? (
          <div className="grid max-w-xl gap-1.5" role="status">
            <Progress
              label="Part of the file the server has read"
              segments={[{ name: 'read', value: upload.sent / upload.total, className: 'bg-primary' }]}
            />
            <p className="text-muted-foreground text-sm">
              {upload.sent < upload.total
                ? `Sending the file: ${formatBytes(upload.sent)} of ${formatBytes(upload.total)} read by the server, which checks and stores it as it arrives and starts sending meanwhile. Keep this tab open until the job page opens: closing it stops the job where it is.`
                : 'The server has the whole file and is storing its last rows…'}
            </p>
          </div>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="outline" onClick={onBack} disabled={sending}>
            <ArrowLeft aria-hidden /> Back to preview
          </Button>
          <Button type="button" onClick={askToConfirm} disabled={sending || !result.ready}>
            {sending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
            {sending
              ? 'Starting the job…'
              : `Send ${formatCount(plan.messages)} ${plan.messages === 1 ? 'message' : 'messages'}`}
          </Button>
        </div>
        <Dialog open={confirming} onOpenChange={setConfirming}>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>
                Send {formatCount(plan.messages)} {plan.messages === 1 ? 'message' : 'messages'} now?
              </DialogTitle>
              <DialogDescription>
                “{jobName.trim()}” goes out in {formatCount(plan.requests)}{' '}
                {plan.requests === 1 ? 'request' : 'requests'} with the {profile} key. You can pause or cancel
                it on the job page, but messages already accepted by Sendmux cannot be called back.
              </DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline">
                  Not yet
                </Button>
              </DialogClose>
              <Button type="button" onClick={() => void start()}>
                <Send aria-hidden /> Send now
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      </CardContent>
    </Card>
  );
}
