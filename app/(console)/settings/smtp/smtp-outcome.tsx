import { CheckCircle2, Inbox } from 'lucide-react';
import Link from 'next/link';
import { ExplainedFailure, RequestLogLink } from '@/components/error-explanation';
import { CopyButton } from '@/components/ui/copy-button';
import { formatDuration } from '@/lib/format/display';
import type { SmtpTestOutcome } from '@/lib/format/smtp-transcript';

/** The end of an SMTP test: the queued id, or what the failure means and what to do. */
export function SmtpOutcome({ outcome, sandbox }: { outcome: SmtpTestOutcome; sandbox: boolean }) {
  if (outcome.ok) {
    return (
      <div
        role="status"
        className="border-success/40 bg-success/5 grid gap-2 rounded-md border p-4 text-sm"
        aria-labelledby="smtp-outcome-title"
      >
        <p id="smtp-outcome-title" className="flex items-center gap-2 font-medium">
          <CheckCircle2 className="text-success size-4" aria-hidden /> Accepted over SMTP in{' '}
          {formatDuration(outcome.durationMs)}
        </p>
        <p className="font-mono text-xs break-all">{outcome.reply}</p>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs">
          {outcome.queuedId ? (
            <span className="flex items-center gap-1">
              queued as <code className="font-mono">{outcome.queuedId}</code>
              <CopyButton value={outcome.queuedId} label="Copy the queued id" />
            </span>
          ) : null}
          <RequestLogLink logId={outcome.logId} />
          {sandbox && outcome.queuedId?.startsWith('eml_') ? (
            <Link
              href={`/sandbox/${outcome.queuedId}`}
              className="inline-flex items-center gap-1 underline underline-offset-2"
            >
              <Inbox className="size-3" aria-hidden /> See it in the sandbox outbox
            </Link>
          ) : null}
        </div>
      </div>
    );
  }
  const code = outcome.errorCode ?? 'smtp_error';
  return (
    <ExplainedFailure
      code={code}
      message={outcome.message}
      status={outcome.replyCode}
      said={
        <>
          {outcome.reply ? (
            <p className="text-muted-foreground">
              The server said: <q className="font-mono text-xs">{outcome.reply}</q>
            </p>
          ) : null}
          {outcome.message && !outcome.reply && code !== 'smtp_error' ? (
            <p className="text-muted-foreground">
              The console’s client said: <q className="font-mono text-xs">{outcome.message}</q>
            </p>
          ) : null}
        </>
      }
      footer={<RequestLogLink logId={outcome.logId} />}
    />
  );
}
