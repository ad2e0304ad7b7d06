import type { Metadata } from 'next';
import { KeyRound } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/require-role';
import Link from 'next/link';
import { getEnv, maskKey } from '@/lib/env';
import { getSandboxKey } from '@/lib/sandbox/key';
import { listKeyProfiles } from '@/lib/sendmux/profiles';
import { ConnectionCheck } from './connection-check';

export const metadata: Metadata = { title: 'Sendmux keys' };

export default async function KeysPage() {
  await requireRole('support');
  const env = getEnv();
  const profiles = listKeyProfiles();
  return (
    <>
      <PageHeader
        title="Sendmux keys"
        description="Routing follows the key, so a key profile is the only routing choice. Keys stay on the server: this page, the browser and the request log only ever see a masked form."
      />
      <dl className="mb-6 grid max-w-3xl gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-muted-foreground">Mode</dt>
        <dd>
          {env.mode === 'sandbox' ? (
            <>
              <Badge variant="outline" className="bg-sandbox text-sandbox-foreground border-transparent">
                sandbox
              </Badge>{' '}
              No key is configured; the console talks to its built-in Sendmux sandbox with the sandbox key
              below.
            </>
          ) : (
            <>
              <Badge variant="success">live</Badge>
              {env.sandboxServed
                ? ' SENDMUX_API_URL points at this console’s own sandbox, so nothing is delivered.'
                : null}
            </>
          )}
        </dd>
        <dt className="text-muted-foreground">API URL</dt>
        <dd>
          <code className="font-mono text-xs">{env.sendmuxApiUrl}</code>
        </dd>
        {env.mode === 'live' && env.sandboxServed ? (
          <>
            <dt className="text-muted-foreground">Sandbox key</dt>
            <dd>
              <code className="font-mono text-xs">{maskKey(getSandboxKey())}</code> — the key the built-in
              sandbox accepts; see the{' '}
              <Link href="/sandbox" className="underline underline-offset-2">
                Sandbox page
              </Link>
              .
            </dd>
          </>
        ) : null}
      </dl>
      <div className="grid max-w-3xl gap-4">
        {profiles.map((p) => (
          <Card key={p.name}>
            <CardHeader>
              <CardTitle className="flex items-center gap-2">
                <KeyRound className="text-primary size-4" aria-hidden /> {p.name}
              </CardTitle>
              <CardDescription>
                Key <code className="font-mono">{p.maskedKey}</code>
              </CardDescription>
            </CardHeader>
            <CardContent>
              <ConnectionCheck profile={p.name} />
            </CardContent>
          </Card>
        ))}
      </div>
      {env.mode === 'sandbox' ? (
        <p className="text-muted-foreground mt-6 max-w-3xl text-sm">
          To send for real, set <code className="font-mono text-xs">SENDMUX_API_KEY</code> (one key) or{' '}
          <code className="font-mono text-xs">SENDMUX_KEYS=transactional=smx_mbx_…,marketing=smx_mbx_…</code>{' '}
          (named profiles) and restart the console.
        </p>
      ) : null}
    </>
  );
}
