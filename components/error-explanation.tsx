import { AlertTriangle, ExternalLink } from 'lucide-react';
import Link from 'next/link';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import type { ActionError } from '@/lib/schemas/action-result';
import { explainError } from '@/lib/errors/catalog';

const RETRY_LABEL = { yes: 'A retry can help', later: 'Retry later', no: 'A retry will not help' } as const;

export function RequestLogLink({ logId }: { logId: number }) {
  return (
    <Link href={`/requests/${logId}`} className="inline-flex items-center gap-1 underline underline-offset-2">
      Open in the request log <ExternalLink className="size-3" aria-hidden />
    </Link>
  );
}

/**
 * A failure explained from the error catalog: title, status and code, what it means, what to do,
 * whether a retry helps. `said` is what the other side said in its own words; `footer` the ids to
 * quote. HTTP sends (ErrorExplanation) and SMTP tests share it.
 */
export function ExplainedFailure({
  code,
  message,
  status,
  title,
  said,
  children,
  footer,
}: {
  code: string;
  message?: string | null;
  status?: number | null;
  title?: string;
  said?: React.ReactNode;
  children?: React.ReactNode;
  footer?: React.ReactNode;
}) {
  const e = explainError(code, message ?? undefined);
  return (
    <Alert variant="destructive">
      <AlertTriangle aria-hidden />
      <AlertTitle className="flex flex-wrap items-center gap-2">
        <span>{title ?? e.title}</span>
        <Badge variant="destructive" className="bg-card font-mono">
          {status ? `${status} ` : ''}
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
        {said}
        <p className="text-muted-foreground">{e.retryNote}</p>
        {children}
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs">{footer}</div>
      </AlertDescription>
    </Alert>
  );
}

/** An upstream failure as users need it: code, what it means, what to do, and the request_id to quote. */
export function ErrorExplanation({
  error,
  title,
  children,
}: {
  error: ActionError;
  title?: string;
  children?: React.ReactNode;
}) {
  const meaning = explainError(error.code, error.message).meaning;
  return (
    <ExplainedFailure
      code={error.code}
      message={error.message}
      status={error.httpStatus}
      title={title}
      said={
        error.message && error.message !== meaning ? (
          <p className="text-muted-foreground">
            Sendmux said: <q>{error.message}</q>
          </p>
        ) : null
      }
      footer={
        <>
          {error.requestId ? (
            <span className="flex items-center gap-1">
              request_id <code className="font-mono">{error.requestId}</code>
              <CopyButton value={error.requestId} label="Copy request_id" />
            </span>
          ) : (
            <span className="text-muted-foreground">No request_id: no answer arrived from Sendmux.</span>
          )}
          {error.logId ? <RequestLogLink logId={error.logId} /> : null}
        </>
      }
    >
      {children}
    </ExplainedFailure>
  );
}
