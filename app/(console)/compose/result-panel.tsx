'use client';

import { useQuery } from '@tanstack/react-query';
import { CheckCircle2, KeyRound, Loader2, RotateCw } from 'lucide-react';
import { useEffect, useState } from 'react';
import { ErrorExplanation } from '@/components/error-explanation';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import type { ActionError } from '@/lib/schemas/action-result';
import { conflictKind } from '@/lib/errors/catalog';
import { SendResultActions } from '@/components/send-intent-fields';
import { DeliveryLive } from './delivery-live';

export type SendOutcome =
  | {
      ok: true;
      messageId: string;
      status: string;
      requestId?: string;
      logId: number;
      attempts: number;
      idempotencyKey: string;
      replayed: boolean;
      at: string;
    }
  | { ok: false; error: ActionError; attempts?: number; idempotencyKey: string; at: string };

function IdRow({ label, value }: { label: string; value: string | undefined }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="flex min-w-0 items-center gap-1">
        {value ? (
          <>
            <code className="truncate font-mono text-xs">{value}</code>
            <CopyButton value={value} label={`Copy ${label}`} />
          </>
        ) : (
          '—'
        )}
      </dd>
    </>
  );
}

export function ResultPanel({
  outcome,
  onNewKey,
  onRetry,
}: {
  outcome: SendOutcome;
  onNewKey: () => void;
  onRetry: () => void;
}) {
  if (outcome.ok) {
    return (
      <section
        aria-labelledby="result-title"
        className="border-success/40 bg-success/5 rounded-lg border p-4 text-sm"
      >
        <h2 id="result-title" className="mb-3 flex items-center gap-2 font-semibold">
          <CheckCircle2 className="text-success size-4" aria-hidden />
          {outcome.replayed
            ? 'Already sent — Sendmux replayed its earlier answer'
            : `Sent: ${outcome.status}`}
        </h2>
        {outcome.replayed ? (
          <p className="text-muted-foreground mb-3">
            This exact message was already sent under this idempotency key, so nothing new went out. To send
            it again on purpose, start a new key.
          </p>
        ) : null}
        <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1.5">
          <dt className="text-muted-foreground">status</dt>
          <dd>{outcome.status}</dd>
          <IdRow label="message_id" value={outcome.messageId} />
          <IdRow label="request_id" value={outcome.requestId} />
          <IdRow label="idempotency key" value={outcome.idempotencyKey} />
          <dt className="text-muted-foreground">attempts</dt>
          <dd>{outcome.attempts}</dd>
        </dl>
        <DeliveryLive messageId={outcome.messageId} logId={outcome.logId} />
        <SendResultActions logId={outcome.logId} onNewKey={onNewKey} />
      </section>
    );
  }
  const kind = outcome.error.code === 'idempotency_conflict' ? conflictKind(outcome.error.message) : null;
  return (
    <section aria-labelledby="result-title" className="grid gap-2">
      <h2 id="result-title" className="sr-only">
        Send failed
      </h2>
      <ErrorExplanation
        error={outcome.error}
        title={`Not sent${outcome.error.code === 'invalid_input' ? '' : ` — ${outcome.error.code}`}`}
      >
        {kind === 'changed_body' || kind === 'unknown' ? (
          <p>
            <strong>Why:</strong> this key was already used for a different message. Every change is a new
            intent: start a new key and send again.
          </p>
        ) : null}
        {kind === 'in_flight' ? (
          <p>
            <strong>Why:</strong> the first send with this key is still being processed. Wait a moment and
            retry with the same key; it cannot send twice.
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          {kind === 'in_flight' ? (
            <Button type="button" size="sm" variant="outline" onClick={onRetry}>
              <RotateCw aria-hidden /> Retry with the same key
            </Button>
          ) : null}
          {kind === 'changed_body' || kind === 'unknown' ? (
            <Button type="button" size="sm" variant="outline" onClick={onNewKey}>
              <KeyRound aria-hidden /> Start a new key
            </Button>
          ) : null}
        </div>
        {outcome.attempts && outcome.attempts > 1 ? (
          <p className="text-muted-foreground">
            The console tried {outcome.attempts} times with the same key before giving up.
          </p>
        ) : null}
      </ErrorExplanation>
    </section>
  );
}

type Attempt = {
  attempt: number;
  status: number | null;
  errorCode: string | null;
  pending: boolean;
  nextRetryAt: string | null;
};

/** While a send is in flight: which attempt is running, and the wait before the next one. */
export function SendProgress({ idempotencyKey }: { idempotencyKey: string }) {
  const { data } = useQuery({
    queryKey: ['attempts', idempotencyKey],
    queryFn: async () => {
      const res = await fetch(`/api/compose/attempts?key=${encodeURIComponent(idempotencyKey)}`, {
        cache: 'no-store',
      });
      return res.ok ? ((await res.json()) as { attempts: Attempt[] }).attempts : [];
    },
    refetchInterval: 400,
  });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, []);
  const attempts = data ?? [];
  const last = attempts.at(-1);
  let line = 'Sending…';
  if (last && !last.pending && last.nextRetryAt) {
    const wait = Math.max(0, new Date(last.nextRetryAt).getTime() - now);
    line = `Attempt ${last.attempt} got ${last.status ?? 'no answer'}${last.errorCode ? ` ${last.errorCode}` : ''}. Retrying with the same key in ${(wait / 1000).toFixed(1)} s…`;
  } else if (last?.pending) {
    line = last.attempt > 1 ? `Attempt ${last.attempt}: sending again with the same key…` : 'Sending…';
  }
  return (
    <p role="status" className="bg-card flex items-center gap-2 rounded-lg border p-3 text-sm">
      <Loader2 className="size-4 animate-spin" aria-hidden />
      {line}
    </p>
  );
}
