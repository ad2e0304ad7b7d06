'use client';

import { CheckCircle2, CircleAlert, Loader2, Plus, Send, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { ErrorExplanation } from '@/components/error-explanation';
import { FormField } from '@/components/form-field';
import { IdempotencyKeyField, KeyProfileSelect, SendResultActions } from '@/components/send-intent-fields';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { Textarea } from '@/components/ui/textarea';
import type { ManualItemResult } from '@/lib/batch/manual';
import {
  checkManualMessages,
  manualRowsToValues,
  parseManualJson,
  type ManualProblem,
  type ManualRow,
} from '@/lib/mail-merge/manual-input';
import { randomId } from '@/lib/ids';
import type { ActionError } from '@/lib/schemas/action-result';
import { MAX_BATCH } from '@/lib/schemas/limits';
import { idempotencyKeySchema } from '@/lib/schemas/message';
import { explainError } from '@/lib/errors/catalog';
import { sendManualBatchAction } from './actions';
import type { ProfileChoice } from './new-batch-tabs';

type Mode = 'rows' | 'json';

type Outcome =
  | {
      ok: true;
      requestId: string | null;
      logId: number;
      results: ManualItemResult[];
      summary: { total: number; queued: number; failed: number };
      to: string[];
      key: string;
    }
  | { ok: false; error: ActionError; results: ManualItemResult[]; to: string[]; key: string };

const emptyRow = (): ManualRow => ({ toEmail: '', toName: '', subject: '', html: '' });
const newKey = () => `manual-${randomId(20)}`;

const EXAMPLE = (sandbox: boolean) =>
  JSON.stringify(
    {
      messages: [
        {
          from: { email: 'sandbox@sendmux.test', name: 'Console' },
          to: { email: 'ada@example.com', name: 'Ada' },
          subject: 'Hello Ada',
          html_body: '<p>Hello Ada</p>',
        },
        {
          from: { email: 'sandbox@sendmux.test', name: 'Console' },
          to: { email: 'bob@example.com', name: 'Bob' },
          subject: 'Hello Bob',
          html_body: '<p>Hello Bob</p>',
        },
        ...(sandbox
          ? [
              {
                from: { email: 'sandbox@sendmux.test' },
                to: { email: 'fail+insufficient_credits@example.com' },
                subject: 'This one fails in the sandbox',
                html_body: '<p>402</p>',
              },
            ]
          : []),
      ],
    },
    null,
    2,
  );

const ROW_FIELDS: { key: keyof ManualRow; label: string; path: string }[] = [
  { key: 'toEmail', label: 'To email', path: 'to.email' },
  { key: 'toName', label: 'To name', path: 'to.name' },
  { key: 'subject', label: 'Subject', path: 'subject' },
  { key: 'html', label: 'HTML body', path: 'htmlBody' },
];

function describeProblem(p: ManualProblem, mode: Mode): string {
  const where = p.index === null ? '' : mode === 'rows' ? `Row ${p.index + 1}` : `messages[${p.index}]`;
  return [where, p.field].filter(Boolean).join(' · ') + (where || p.field ? ': ' : '') + p.message;
}

export function ManualBatch({
  profiles,
  sandbox,
  initialKey,
}: {
  profiles: ProfileChoice[];
  sandbox: boolean;
  initialKey: string;
}) {
  const [mode, setMode] = useState<Mode>('rows');
  const [from, setFrom] = useState({ email: '', name: '' });
  const [rows, setRows] = useState<ManualRow[]>(() => [emptyRow()]);
  const [json, setJson] = useState('');
  const [profile, setProfile] = useState(profiles[0]?.name ?? '');
  const [idempotencyKey, setIdempotencyKey] = useState(initialKey);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ManualProblem[]>([]);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const invalid = new Set(problems.map((p) => `${p.index}:${p.field}`));

  function startNewKey() {
    setIdempotencyKey(newKey());
    setKeyError(null);
    setOutcome(null);
  }

  async function send() {
    const key = idempotencyKeySchema.safeParse(idempotencyKey);
    if (!key.success) {
      setKeyError(key.error.issues[0]?.message ?? 'Invalid idempotency key');
      return;
    }
    let values: unknown[];
    if (mode === 'rows') values = manualRowsToValues(from, rows);
    else {
      const parsed = parseManualJson(json);
      if (!parsed.ok) {
        setProblems([{ index: null, field: '', message: parsed.message }]);
        return;
      }
      values = parsed.values;
    }
    const checked = checkManualMessages(values);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    setSending(true);
    const to = checked.messages.map((m) => m.to.email);
    try {
      const result = await sendManualBatchAction({ profile, idempotencyKey, messages: checked.messages });
      if (result.ok) {
        setOutcome({ ok: true, ...result.data, to, key: idempotencyKey });
        toast.success(`Sent: ${result.data.summary.queued} queued, ${result.data.summary.failed} failed`);
      } else if (result.error.code === 'invalid_input' && result.fieldErrors) {
        setProblems(
          Object.entries(result.fieldErrors).flatMap(([field, messages]) =>
            messages.map((message) => ({ index: null, field, message })),
          ),
        );
      } else {
        setOutcome({
          ok: false,
          error: result.error,
          results: result.results ?? [],
          to,
          key: idempotencyKey,
        });
      }
    } catch {
      setOutcome({
        ok: false,
        error: {
          code: 'network_error',
          message: 'The console did not answer. Send again: the same idempotency key prevents a double send.',
        },
        results: [],
        to,
        key: idempotencyKey,
      });
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="grid items-start gap-5 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <Card aria-labelledby="manual-heading" className="min-w-0">
        <CardHeader>
          <CardTitle id="manual-heading">Manual batch</CardTitle>
          <CardDescription>
            Up to {MAX_BATCH} messages in one request to Sendmux’s batch endpoint. Each message is checked
            with the same rules as Compose before anything is sent.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <IdempotencyKeyField
            id="manual-key"
            value={idempotencyKey}
            error={keyError}
            onChange={(v) => {
              setIdempotencyKey(v);
              setKeyError(null);
            }}
            onNewKey={startNewKey}
          />
          <KeyProfileSelect id="manual-profile" profiles={profiles} value={profile} onChange={setProfile} />

          <Tabs value={mode} onValueChange={(v) => setMode(v === 'json' ? 'json' : 'rows')}>
            <TabsList aria-label="How to write the messages">
              <TabsTrigger value="rows">Row by row</TabsTrigger>
              <TabsTrigger value="json">JSON</TabsTrigger>
            </TabsList>
            <TabsContent value="rows" className="grid gap-4">
              <div className="grid gap-4 sm:grid-cols-2">
                <FormField
                  id="manual-from-email"
                  label="From email"
                  hint="For every row"
                  error={invalid.has('0:from.email') ? 'Enter a valid sender address' : undefined}
                >
                  <Input
                    type="email"
                    autoComplete="off"
                    value={from.email}
                    onChange={(e) => setFrom((f) => ({ ...f, email: e.target.value }))}
                  />
                </FormField>
                <FormField id="manual-from-name" label="From name" hint="Optional">
                  <Input
                    autoComplete="off"
                    value={from.name}
                    onChange={(e) => setFrom((f) => ({ ...f, name: e.target.value }))}
                  />
                </FormField>
              </div>
              <ol className="grid gap-3" aria-label="Messages">
                {rows.map((row, i) => (
                  <li key={i} className="grid gap-2 rounded-md border p-3">
                    <div className="flex items-center justify-between">
                      <span className="text-sm font-medium">Row {i + 1}</span>
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon-sm"
                        aria-label={`Remove row ${i + 1}`}
                        disabled={rows.length === 1}
                        onClick={() => setRows((r) => r.filter((_, j) => j !== i))}
                      >
                        <Trash2 aria-hidden />
                      </Button>
                    </div>
                    <div className="grid gap-2 sm:grid-cols-2">
                      {ROW_FIELDS.map((f) => (
                        <div
                          key={f.key}
                          className={f.key === 'html' ? 'grid gap-1 sm:col-span-2' : 'grid gap-1'}
                        >
                          <Label htmlFor={`manual-${i}-${f.key}`} className="text-xs">
                            Row {i + 1} {f.label}
                          </Label>
                          {f.key === 'html' ? (
                            <Textarea
                              id={`manual-${i}-${f.key}`}
                              rows={2}
                              className="font-mono text-xs"
                              value={row[f.key]}
                              aria-invalid={invalid.has(`${i}:${f.path}`) || undefined}
                              onChange={(e) =>
                                setRows((r) =>
                                  r.map((x, j) => (j === i ? { ...x, [f.key]: e.target.value } : x)),
                                )
                              }
                            />
                          ) : (
                            <Input
                              id={`manual-${i}-${f.key}`}
                              autoComplete="off"
                              value={row[f.key]}
                              aria-invalid={invalid.has(`${i}:${f.path}`) || undefined}
                              onChange={(e) =>
                                setRows((r) =>
                                  r.map((x, j) => (j === i ? { ...x, [f.key]: e.target.value } : x)),
                                )
                              }
                            />
                          )}
                        </div>
                      ))}
                    </div>
                  </li>
                ))}
              </ol>
              <div className="flex flex-wrap gap-2">
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  disabled={rows.length >= MAX_BATCH}
                  onClick={() => setRows((r) => [...r, emptyRow()])}
                >
                  <Plus aria-hidden /> Add row
                </Button>
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  onClick={() => {
                    setJson(JSON.stringify({ messages: manualRowsToValues(from, rows) }, null, 2));
                    setMode('json');
                  }}
                >
                  Edit these rows as JSON
                </Button>
              </div>
            </TabsContent>
            <TabsContent value="json" className="grid gap-2">
              <Label htmlFor="manual-json">Messages (JSON)</Label>
              <p id="manual-json-hint" className="text-muted-foreground text-xs">
                An array of send requests as the API takes them (<code className="font-mono">from</code>,{' '}
                <code className="font-mono">to</code>, <code className="font-mono">subject</code>,{' '}
                <code className="font-mono">html_body</code>, …), or{' '}
                <code className="font-mono">{'{"messages": [...]}'}</code>. Uploaded files are referenced as{' '}
                <code className="font-mono">{'{"attachment_id": "att_…"}'}</code>.
              </p>
              <Textarea
                id="manual-json"
                aria-describedby="manual-json-hint"
                rows={18}
                spellCheck={false}
                className="font-mono text-xs"
                value={json}
                placeholder={EXAMPLE(false)}
                aria-invalid={problems.length > 0 || undefined}
                onChange={(e) => setJson(e.target.value)}
              />
              <div>
                <Button type="button" variant="ghost" size="sm" onClick={() => setJson(EXAMPLE(sandbox))}>
                  Insert an example
                </Button>
              </div>
            </TabsContent>
          </Tabs>

          {problems.length ? (
            <Alert variant="destructive">
              <CircleAlert aria-hidden />
              <AlertTitle>
                Fix {problems.length === 1 ? 'this' : `these ${problems.length}`} before sending; nothing was
                sent
              </AlertTitle>
              <AlertDescription>
                <ul className="list-disc pl-4">
                  {problems.slice(0, 50).map((p, i) => (
                    <li key={i}>{describeProblem(p, mode)}</li>
                  ))}
                </ul>
              </AlertDescription>
            </Alert>
          ) : null}
          <div>
            <Button type="button" size="lg" onClick={() => void send()} disabled={sending}>
              {sending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
              Send in one request
            </Button>
          </div>
        </CardContent>
      </Card>

      <div aria-live="polite" className="grid min-w-0 gap-4 xl:sticky xl:top-4">
        {outcome ? <ManualOutcome outcome={outcome} onNewKey={startNewKey} /> : null}
      </div>
    </div>
  );
}

function ManualOutcome({ outcome, onNewKey }: { outcome: Outcome; onNewKey: () => void }) {
  return (
    <section aria-labelledby="manual-result-title" className="grid min-w-0 gap-3 [overflow-wrap:anywhere]">
      {outcome.ok ? (
        <div className="border-success/40 bg-success/5 rounded-lg border p-4 text-sm">
          <h2 id="manual-result-title" className="mb-2 flex items-center gap-2 font-semibold">
            <CheckCircle2 className="text-success size-4" aria-hidden />
            Sent in one request: {outcome.summary.queued} queued, {outcome.summary.failed} failed
          </h2>
          <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1">
            <dt className="text-muted-foreground">request_id</dt>
            <dd className="flex min-w-0 items-center gap-1">
              {outcome.requestId ? (
                <>
                  <code className="truncate font-mono text-xs">{outcome.requestId}</code>
                  <CopyButton value={outcome.requestId} label="Copy request_id" />
                </>
              ) : (
                '—'
              )}
            </dd>
            <dt className="text-muted-foreground">idempotency key</dt>
            <dd>
              <code className="font-mono text-xs break-all">{outcome.key}</code>
            </dd>
          </dl>
          <p className="text-muted-foreground mt-2">
            Sending again under this key replays this answer; nothing goes out twice. Start a new key to send
            again on purpose.
          </p>
          <SendResultActions logId={outcome.logId} onNewKey={onNewKey} />
        </div>
      ) : (
        <>
          <h2 id="manual-result-title" className="sr-only">
            Manual batch failed
          </h2>
          <ErrorExplanation error={outcome.error} title={`Not sent — ${outcome.error.code}`} />
        </>
      )}
      {outcome.results.length ? (
        <div className="bg-card min-w-0 rounded-lg border">
          <Table aria-label="Result of each message">
            <TableHeader>
              <TableRow>
                <TableHead className="w-14 text-right">Index</TableHead>
                <TableHead>To</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>message_id / error</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {outcome.results.map((r) => {
                const e = r.ok ? null : explainError(r.error.code, r.error.message);
                return (
                  <TableRow key={r.index}>
                    <TableCell className="text-right align-top tabular-nums">{r.index}</TableCell>
                    <TableCell className="max-w-48 truncate align-top" title={outcome.to[r.index]}>
                      {outcome.to[r.index] ?? '—'}
                    </TableCell>
                    <TableCell className="align-top">
                      <Badge variant={r.ok ? 'success' : 'destructive'}>{r.ok ? 'queued' : 'failed'}</Badge>
                    </TableCell>
                    <TableCell className="align-top text-xs">
                      {r.ok ? (
                        <code className="font-mono">{r.messageId}</code>
                      ) : (
                        <div className="grid gap-0.5">
                          <span>
                            <code className="text-destructive font-mono">{r.error.code}</code> —{' '}
                            {r.error.title}
                          </span>
                          <span className="text-muted-foreground">{e?.meaning}</span>
                          {r.error.message && r.error.message !== e?.meaning ? (
                            <span className="text-muted-foreground">Sendmux said: {r.error.message}</span>
                          ) : null}
                          {r.error.fields.map((f) => (
                            <span key={f.field} className="text-muted-foreground">
                              <code className="font-mono">{f.field}</code>: {f.message || f.code}
                            </span>
                          ))}
                          <span>
                            <strong>What to do:</strong> {r.error.action}
                          </span>
                        </div>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      ) : null}
    </section>
  );
}
