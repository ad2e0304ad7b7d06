import type { Metadata } from 'next';
import Link from 'next/link';
import { CircleAlert, CircleCheck, Mail } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { requireRole } from '@/lib/auth/require-role';
import { DEFAULT_SENDMUX_SMTP_URL, getEnv } from '@/lib/env';
import { smtpSnippets } from '@/lib/format/smtp-snippets';
import { readSandboxCa } from '@/lib/sandbox/smtp-cert';
import { sandboxSmtpStatus } from '@/lib/sandbox/smtp-listener';
import { hasRole } from '@/lib/schemas/roles';
import { DEFAULT_SMTP_USERNAME } from '@/lib/schemas/smtp';
import { listKeyProfiles } from '@/lib/sendmux/profiles';
import { SmtpTestForm } from './smtp-test-form';

export const metadata: Metadata = { title: 'SMTP' };

function Setting({
  name,
  value,
  copy,
  children,
}: {
  name: string;
  value?: string;
  copy?: boolean;
  children?: React.ReactNode;
}) {
  return (
    <>
      <dt className="text-muted-foreground">{name}</dt>
      <dd className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
        {value ? <code className="font-mono text-sm">{value}</code> : null}
        {value && copy ? <CopyButton value={value} label={`Copy the ${name.toLowerCase()}`} /> : null}
        {children}
      </dd>
    </>
  );
}

export default async function SmtpSettingsPage() {
  const user = await requireRole('support');
  const env = getEnv();
  const smtp = env.smtp;
  const profiles = listKeyProfiles();
  const listener = sandboxSmtpStatus();
  const ownListener = smtp.trustSandboxCa;
  const caPem = ownListener ? readSandboxCa(env.dataDir) : null;
  const caFile = ownListener && listener.state === 'listening' ? listener.caFile : undefined;
  const isSendmux = env.mode === 'live' && smtp.url === DEFAULT_SENDMUX_SMTP_URL;
  const snippets = smtpSnippets({
    host: smtp.host,
    port: smtp.port,
    implicitTls: smtp.implicitTls,
    username: DEFAULT_SMTP_USERNAME,
    caFile,
  });
  const canSend = hasRole(user.role, 'sender');

  return (
    <>
      <PageHeader
        title="SMTP"
        description="For tools that only speak SMTP: the settings to give them, ready to paste, and a test send that shows the whole conversation. SMTP and the HTTP API use the same keys, route the same way, and share each key’s rate limit."
      />
      <div className="grid max-w-6xl gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Connection settings</CardTitle>
            <CardDescription>
              {env.mode === 'sandbox'
                ? 'Sandbox mode: the console’s own SMTP listener takes the mail and puts it in the sandbox outbox. Nothing is delivered.'
                : isSendmux
                  ? 'Sendmux’s SMTP endpoint. Routing follows the key, exactly as over HTTP.'
                  : 'The SMTP server SENDMUX_SMTP_URL names.'}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="grid gap-x-8 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
              <Setting name="Host" value={smtp.host} copy />
              <Setting name="Port" value={String(smtp.port)} copy>
                {isSendmux ? (
                  <span className="text-muted-foreground">or 2525 where outgoing 587 is blocked</span>
                ) : null}
              </Setting>
              <Setting name="Security">
                {smtp.implicitTls ? (
                  <span>TLS from the first byte (“SSL”, port 465 style)</span>
                ) : (
                  <span>
                    <strong>STARTTLS, required</strong>{' '}
                    <span className="text-muted-foreground">
                      — often labelled “TLS” or “STARTTLS” in SMTP settings; not “SSL”
                    </span>
                  </span>
                )}
              </Setting>
              <Setting name="Authentication">
                <span>AUTH LOGIN or AUTH PLAIN</span>
              </Setting>
              <Setting name="Username" value={DEFAULT_SMTP_USERNAME} copy>
                <span className="text-muted-foreground">— any username works; the key decides</span>
              </Setting>
              <Setting name="Password">
                <span className="grid gap-1">
                  {profiles.map((p) => (
                    <span key={p.name}>
                      the key of profile <strong>{p.name}</strong>{' '}
                      <code className="text-muted-foreground font-mono text-xs">{p.maskedKey}</code>
                    </span>
                  ))}
                  <span className="text-muted-foreground text-xs">
                    Never shown here. Give your tool the key from your secret store as{' '}
                    <code className="font-mono">$SENDMUX_API_KEY</code>;{' '}
                    <Link href="/settings/keys" className="underline underline-offset-2">
                      Settings → Sendmux keys
                    </Link>{' '}
                    checks each one.
                  </span>
                </span>
              </Setting>
              {ownListener ? (
                <>
                  <Setting name="Listener">
                    {listener.state === 'listening' ? (
                      <Badge variant="success">
                        <CircleCheck className="size-3" aria-hidden /> listening on {listener.host}:
                        {listener.port}
                      </Badge>
                    ) : listener.state === 'failed' ? (
                      <span className="text-destructive flex items-start gap-1">
                        <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden /> Not running:{' '}
                        {listener.reason}
                      </span>
                    ) : (
                      <span className="text-muted-foreground">not started</span>
                    )}
                  </Setting>
                  <Setting name="Certificate">
                    {caPem ? (
                      <span className="grid gap-1">
                        <span>
                          Made on first start by the console’s own CA. Tools must trust that CA:{' '}
                          <code className="font-mono text-xs break-all">
                            {caFile ?? 'sandbox-smtp-ca.pem in DATA_DIR'}
                          </code>
                        </span>
                        <span>
                          <CopyButton value={caPem} label="Copy the sandbox CA certificate (PEM)">
                            Copy CA certificate
                          </CopyButton>
                        </span>
                      </span>
                    ) : (
                      <span className="text-muted-foreground">made when the listener first starts</span>
                    )}
                  </Setting>
                </>
              ) : smtp.caFile ? (
                <Setting name="Extra CA" value={smtp.caFile}>
                  <span className="text-muted-foreground">trusted from SENDMUX_SMTP_CA_FILE</span>
                </Setting>
              ) : null}
            </dl>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Settings for your tool</CardTitle>
            <CardDescription>
              Each reads the key from the environment variable{' '}
              <code className="font-mono">SENDMUX_API_KEY</code>; none of them holds a key. Set it to the key
              of the profile the tool should send with.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Tabs defaultValue={snippets[0]!.id}>
              <TabsList aria-label="Tool" className="h-auto flex-wrap">
                {snippets.map((s) => (
                  <TabsTrigger key={s.id} value={s.id}>
                    {s.tool}
                  </TabsTrigger>
                ))}
              </TabsList>
              {snippets.map((s) => (
                <TabsContent key={s.id} value={s.id} className="grid gap-2">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <p className="text-muted-foreground text-sm">
                      <code className="font-mono text-xs">{s.file}</code> · {s.language}
                    </p>
                    <CopyButton value={s.code} label={`Copy the ${s.tool} settings`}>
                      Copy
                    </CopyButton>
                  </div>
                  <pre
                    tabIndex={0}
                    aria-label={`${s.tool} settings`}
                    className="bg-muted/40 overflow-auto rounded-md border p-3 font-mono text-xs leading-relaxed"
                  >
                    {s.code}
                  </pre>
                </TabsContent>
              ))}
            </Tabs>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <Mail className="text-primary size-4" aria-hidden /> Test send over SMTP
            </CardTitle>
            <CardDescription>
              Sends one real message over SMTP with these settings and shows the conversation as it happens.
              The key is only sent once TLS is up: a server that offers no STARTTLS gets a refusal, never the
              key. Every test is in the request log.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {canSend ? (
              <SmtpTestForm
                profiles={profiles}
                sandbox={env.mode === 'sandbox'}
                draftKey={`sendmux-console:smtp-test:${user.id}`}
                defaults={{
                  profile: profiles[0]?.name ?? '',
                  authMethod: 'PLAIN',
                  fromEmail: env.mode === 'sandbox' ? 'sandbox@sendmux.test' : '',
                  fromName: '',
                  toEmail: '',
                  subject: 'SMTP test from Sendmux Console',
                  text: 'If you can read this, the SMTP settings work.',
                  html: '',
                }}
              />
            ) : (
              <p className="text-muted-foreground text-sm">
                Sending a test needs the sender or admin role. Past tests are in the{' '}
                <Link href="/requests?endpoint=SMTP" className="underline underline-offset-2">
                  request log
                </Link>
                .
              </p>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
