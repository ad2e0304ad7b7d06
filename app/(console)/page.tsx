import type { Metadata } from 'next';
import Link from 'next/link';
import { ArrowRight, FlaskConical, KeyRound, Layers, Mail, PenSquare, ScrollText, Users } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/require-role';
import { hasRole } from '@/lib/schemas/roles';
import { getEnv } from '@/lib/env';

export const metadata: Metadata = { title: 'Home' };

export default async function HomePage() {
  const user = await requireRole('support');
  const env = getEnv();
  const steps = [
    hasRole(user.role, 'sender') && {
      href: '/compose',
      icon: PenSquare,
      title: 'Send a test email',
      text: 'Write a message, preview it, send it, and read back its message_id and request_id.',
    },
    hasRole(user.role, 'sender') && {
      href: '/batches/new',
      icon: Layers,
      title: 'Send a CSV mail merge',
      text: 'Upload a CSV, map columns to fields and {{variables}}, fix flagged rows, send in chunks of 100.',
    },
    !hasRole(user.role, 'sender') && {
      href: '/batches',
      icon: Layers,
      title: 'Check a batch job',
      text: 'See which rows of a mail merge were queued and which failed, and why.',
    },
    user.role === 'admin' && {
      href: '/settings/users',
      icon: Users,
      title: 'Add your team',
      text: 'Give senders and support staff their own accounts and roles.',
    },
    {
      href: '/settings/keys',
      icon: KeyRound,
      title: 'Check the Sendmux connection',
      text: 'See the key profiles this console holds (masked) and test each one.',
    },
    {
      href: '/settings/smtp',
      icon: Mail,
      title: 'Connect an SMTP-only tool',
      text: 'Copy the host, port and login for your tool, and prove them with one test send.',
    },
  ].filter((s) => !!s);

  return (
    <>
      <PageHeader
        title={`Welcome${user.name ? `, ${user.name}` : ''}`}
        description="Sendmux Console sends email through the Sendmux HTTP Sending API and keeps a log of every request."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Look up a request</CardTitle>
            <CardDescription>
              Paste a request_id (req_…), a message id (eml_…), an idempotency key, an email address or a
              batch job id.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <form action="/requests" method="get" role="search" className="flex gap-2">
              <label htmlFor="home-search" className="sr-only">
                Search requests
              </label>
              <Input
                id="home-search"
                name="q"
                placeholder="req_… · eml_… · ada@example.com"
                className="font-mono"
              />
              <Button type="submit">
                <ScrollText aria-hidden /> Search
              </Button>
            </form>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              {env.mode === 'sandbox' ? (
                <FlaskConical className="size-4" aria-hidden />
              ) : (
                <KeyRound className="size-4" aria-hidden />
              )}
              {env.mode === 'sandbox' ? 'Sandbox mode' : 'Live mode'}
            </CardTitle>
            <div>
              <Badge variant="muted">
                {env.db === 'pglite' ? 'Embedded database (PGlite)' : 'PostgreSQL'}
              </Badge>
            </div>
          </CardHeader>
          <CardContent className="text-muted-foreground text-sm">
            {env.mode === 'sandbox' ? (
              <p>
                No Sendmux key is configured. Everything you send lands in the built-in sandbox’s{' '}
                <Link className="underline" href="/sandbox">
                  outbox
                </Link>
                , where you can inspect it. To send for real, set{' '}
                <code className="text-foreground font-mono text-xs">SENDMUX_API_KEY=smx_mbx_…</code> and
                restart.
              </p>
            ) : (
              <p>
                {env.keyProfiles.length} key profile{env.keyProfiles.length === 1 ? '' : 's'} against{' '}
                <code className="text-foreground font-mono text-xs">{env.sendmuxApiUrl}</code>. Email you send
                here is delivered.
              </p>
            )}
          </CardContent>
        </Card>
      </div>
      <h2 className="text-muted-foreground mt-10 mb-3 text-sm font-medium">Next steps</h2>
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {steps.map((s) => (
          <Link
            key={s.href}
            href={s.href}
            className="group bg-card hover:border-primary/50 rounded-lg border p-5 transition-colors"
          >
            <s.icon className="text-primary mb-3 size-5" aria-hidden />
            <p className="flex items-center gap-1 font-medium">
              {s.title}{' '}
              <ArrowRight
                className="size-4 opacity-0 transition-opacity group-hover:opacity-100"
                aria-hidden
              />
            </p>
            <p className="text-muted-foreground mt-1 text-sm">{s.text}</p>
          </Link>
        ))}
      </div>
    </>
  );
}
