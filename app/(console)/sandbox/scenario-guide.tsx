import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import Link from 'next/link';
import { SCENARIO_CODES, SCENARIO_NOTES, SCENARIOS } from '@/lib/sandbox/scenarios';
import { SMTP_REPLY_FOR } from '@/lib/sandbox/smtp-replies';

/** The scenario grammar as lib/sandbox/scenarios.ts documents it: one source of truth for the parser and this page. */
export function ScenarioGuide() {
  return (
    <Card aria-labelledby="scenarios-title">
      <CardHeader>
        <CardTitle id="scenarios-title">Scenarios: make the sandbox fail on purpose</CardTitle>
        <CardDescription>
          Send to one of these addresses (as To, Cc or Bcc) and the sandbox answers as Sendmux would in that
          situation. Nothing else about the message needs to change.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <ScenarioList scenarios={SCENARIOS} />
        <ul className="text-muted-foreground grid list-disc gap-1 pl-5 text-sm">
          {SCENARIO_NOTES.map((note) => (
            <li key={note}>{note}</li>
          ))}
          <li>
            Over SMTP (the sandbox’s listener, see{' '}
            <Link href="/settings/smtp" className="text-foreground underline underline-offset-2">
              Settings → SMTP
            </Link>
            ) the same addresses answer with SMTP reply codes after DATA, listed below; drop@ closes the
            connection with 421, and an unknown scenario is refused at RCPT TO with 553.
          </li>
        </ul>
        <details className="group rounded-md border p-4 text-sm">
          <summary className="cursor-pointer font-medium">
            Every code a scenario can name ({SCENARIO_CODES.length})
          </summary>
          <ul className="mt-3 grid gap-x-6 gap-y-1.5 sm:grid-cols-2 xl:grid-cols-3">
            {SCENARIO_CODES.map((c) => (
              <li key={c.code} className="flex flex-wrap items-center gap-2">
                <Badge variant="outline" className="font-mono tabular-nums">
                  {c.status}
                </Badge>
                <code className="font-mono text-xs">{c.code}</code>
                {c.retryable ? <Badge variant="muted">retryable</Badge> : null}
                <span className="text-muted-foreground text-xs">
                  SMTP {SMTP_REPLY_FOR[c.code].code} {SMTP_REPLY_FOR[c.code].text.split(' ')[0]}
                </span>
              </li>
            ))}
          </ul>
        </details>
      </CardContent>
    </Card>
  );
}

/** Scenario cards: name, address pattern, effect and a copyable example. */
export function ScenarioList({
  scenarios,
}: {
  scenarios: readonly { name: string; pattern: string; effect: string; example: string }[];
}) {
  return (
    <ul className="grid gap-3 lg:grid-cols-2">
      {scenarios.map((s) => (
        <li key={s.name} className="bg-background/60 grid content-start gap-2 rounded-md border p-4">
          <h3 className="flex flex-wrap items-center gap-2 text-sm font-semibold">
            {s.name}
            <code className="bg-muted rounded px-1.5 py-0.5 font-mono text-xs font-normal">{s.pattern}</code>
          </h3>
          <p className="text-muted-foreground text-sm leading-relaxed">{s.effect}</p>
          <p className="flex flex-wrap items-center gap-1 text-sm">
            <span className="text-muted-foreground">Example</span>
            <code className="font-mono text-xs">{s.example}</code>
            <CopyButton value={s.example} label={`Copy example ${s.example}`} />
          </p>
        </li>
      ))}
    </ul>
  );
}
