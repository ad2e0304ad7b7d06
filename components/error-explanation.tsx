import { AlertTriangle, ExternalLink } from 'lucide-react';
import Link from 'next/link';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import type { ActionError } from '@/lib/schemas/action-result';
import { explainError } from '@/lib/errors/catalog';

const RETRY_LABEL = { yes: 'A retry can help', later: 'Retry later', no: 'A retry will not help' } as const;

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
  const e = explainError(error.code, error.message);
  return (
    <Alert variant="destructive">
      <AlertTriangle aria-hidden />
      <AlertTitle className="flex flex-wrap items-center gap-2">
        <span>{title ?? e.title}</span>
        <Badge variant="destructive" className="font-mono">
          {error.httpStatus ? `${error.httpStatus} ` : ''}
          {error.code}
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
        {error.message && error.message !== e.meaning ? (
          <p className="text-muted-foreground">
            Sendmux said: <q>{error.message}</q>
          </p>
        ) : null}
        <p className="text-muted-foreground">{e.retryNote}</p>
        {children}
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs">
          {error.requestId ? (
            <span className="flex items-center gap-1">
              request_id <code className="font-mono">{error.requestId}</code>
              <CopyButton value={error.requestId} label="Copy request_id" />
            </span>
          ) : (
            <span className="text-muted-foreground">No request_id: no answer arrived from Sendmux.</span>
          )}
          {error.logId ? (
            <Link
              href={`/requests/${error.logId}`}
              className="inline-flex items-center gap-1 underline underline-offset-2"
            >
              Open in the request log <ExternalLink className="size-3" aria-hidden />
            </Link>
          ) : null}
        </div>
      </AlertDescription>
    </Alert>
  );
}
