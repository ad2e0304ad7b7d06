'use client';

import { QueryProvider } from '@/components/query-provider';
import { ResultPanel, SendProgress, type SendOutcome } from './result-panel';

/** The send in flight (its attempts, polled) or how it ended. Loaded when the first send starts. */
export function SendStatus({
  sending,
  outcome,
  idempotencyKey,
  onNewKey,
  onRetry,
}: {
  sending: boolean;
  outcome: SendOutcome | null;
  idempotencyKey: string;
  onNewKey: () => void;
  onRetry: () => void;
}) {
  return (
    <QueryProvider>
      {sending ? <SendProgress idempotencyKey={idempotencyKey} /> : null}
      {outcome && !sending ? <ResultPanel outcome={outcome} onNewKey={onNewKey} onRetry={onRetry} /> : null}
    </QueryProvider>
  );
}
