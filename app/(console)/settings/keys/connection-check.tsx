'use client';

import { CheckCircle2, Loader2, PlugZap } from 'lucide-react';
import Link from 'next/link';
import { useState, useTransition } from 'react';
import { ErrorExplanation } from '@/components/error-explanation';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/schemas/action-result';
import { checkConnectionAction } from './actions';

type Result = Awaited<ReturnType<typeof checkConnectionAction>>;

export function ConnectionCheck({ profile }: { profile: string }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<Result | null>(null);
  return (
    <div className="grid gap-3">
      <div>
        <Button
          variant="outline"
          disabled={pending}
          aria-label={`Check connection for ${profile}`}
          onClick={() =>
            startTransition(async () => {
              setResult(await checkConnectionAction({ profile }));
            })
          }
        >
          {pending ? <Loader2 className="animate-spin" aria-hidden /> : <PlugZap aria-hidden />}
          Check connection
        </Button>
      </div>
      <div aria-live="polite">{result ? <ConnectionResult result={result} /> : null}</div>
    </div>
  );
}

function ConnectionResult({ result }: { result: ActionResult<Extract<Result, { ok: true }>['data']> }) {
  if (!result.ok) return <ErrorExplanation error={result.error} title="The connection check failed" />;
  const c = result.data;
  return (
    <div className="border-success/40 bg-success/5 rounded-md border p-4 text-sm">
      <p className="mb-3 flex items-center gap-2 font-medium">
        <CheckCircle2 className="text-success size-4" aria-hidden /> Connected to team {c.team.name}
      </p>
      <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="text-muted-foreground">Team</dt>
        <dd>
          {c.team.name} <code className="text-muted-foreground font-mono text-xs">{c.team.id}</code>
        </dd>
        <dt className="text-muted-foreground">Credential</dt>
        <dd>
          {c.credential.type}
          {c.credential.name ? ` · ${c.credential.name}` : ''}{' '}
          {c.label ? <span className="text-muted-foreground">({c.label})</span> : null}
        </dd>
        <dt className="text-muted-foreground">Permissions</dt>
        <dd className="flex flex-wrap gap-1">
          {c.permissions.length ? (
            c.permissions.map((p) => (
              <Badge key={p} variant={p === 'email.send' ? 'success' : 'muted'}>
                {p}
              </Badge>
            ))
          ) : (
            <span>none</span>
          )}
          {!c.permissions.includes('email.send') ? (
            <span className="text-destructive">This key lacks email.send and cannot send.</span>
          ) : null}
        </dd>
        <dt className="text-muted-foreground">Mailboxes</dt>
        <dd>
          {c.mailboxes.length ? c.mailboxes.map((m) => m.email).join(', ') : 'none listed'}{' '}
          <span className="text-muted-foreground">— offered as From addresses in Compose</span>
        </dd>
        <dt className="text-muted-foreground">request_id</dt>
        <dd>
          <code className="font-mono text-xs">{c.requestId ?? '—'}</code>{' '}
          <Link className="text-xs underline underline-offset-2" href={`/requests/${c.logId}`}>
            request log
          </Link>
        </dd>
      </dl>
    </div>
  );
}
