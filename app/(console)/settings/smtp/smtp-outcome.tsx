import { AlertTriangle, CheckCircle2, ExternalLink, Inbox } from 'lucide-react';
import Link from 'next/link';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { explainError } from '@/lib/errors/catalog';
import { formatDuration } from '@/lib/format/display';
import type { SmtpTestOutcome } from '@/lib/format/smtp-transcript';

const RETRY_LABEL = { yes: 'A retry can help', later: 'Retry later', no: 'A retry will not help' } as const;

function LogLink({ logId }: { logId: number }) {
  return (
    <Link href={`/requests/${logId}`} className="inline-flex items-center gap-1 underline underline-offset-2">
      Open in the request log <ExternalLink className="size-3" aria-hidden />
    </Link>
  );
}

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
          <LogLink logId={outcome.logId} />
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
  const e = explainError(outcome.errorCode ?? 'smtp_error', outcome.message);
  return (
    <Alert variant="destructive">
      <AlertTriangle aria-hidden />
      <AlertTitle className="flex flex-wrap items-center gap-2">
        <span>{e.title}</span>
        <Badge variant="destructive" className="bg-card font-mono">
          {outcome.replyCode ? `${outcome.replyCode} ` : ''}
          {e.code}
        </Badge>
        <Badge variant="muted">{RETRY_LABEL[e.retry]}</Badge>
      </AlertTitle>
      <AlertDescription className="grid gap-2">
        <p>
          <strong>What it means:</strong> {e.meaning}
        </p>
        <p>
          <strong>What to do:</strong> {e.action}
        </p>
        {outcome.reply ? (
          <p className="text-muted-foreground">
            The server said: <q className="font-mono text-xs">{outcome.reply}</q>
          </p>
        ) : null}
        {outcome.message && !outcome.reply && e.code !== 'smtp_error' ? (
          <p className="text-muted-foreground">
            The console’s client said: <q className="font-mono text-xs">{outcome.message}</q>
          </p>
        ) : null}
        <p className="text-muted-foreground">{e.retryNote}</p>
        <div className="text-xs">
          <LogLink logId={outcome.logId} />
        </div>
      </AlertDescription>
    </Alert>
  );
}
