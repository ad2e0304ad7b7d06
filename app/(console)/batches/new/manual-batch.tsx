'use client';

import { Loader2, Plus, Send, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useFieldArray, useForm, useWatch, type FieldErrors } from 'react-hook-form';
import { toast } from 'sonner';
import { ErrorSummary, type SummaryItem } from '@/components/error-summary';
import { FormField } from '@/components/form-field';
import { IdempotencyKeyField, KeyProfileSelect } from '@/components/send-intent-fields';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { Textarea } from '@/components/ui/textarea';
import { flattenErrors } from '@/lib/forms/form-errors';
import { lazyZodResolver } from '@/lib/forms/lazy-resolver';
import { randomId } from '@/lib/ids';
import { emptyManualRow, MANUAL_ROW_FIELDS, manualRowsToValues } from '@/lib/mail-merge/manual-input';
import { MAX_BATCH } from '@/lib/schemas/limits';
import type { ManualBatchForm, ManualBatchSend } from '@/lib/schemas/manual-batch';
import type { KeyProfileSummary } from '@/lib/sendmux/profiles';
import { sendManualBatchAction } from './actions';
import { ManualOutcomePanel, type ManualOutcome } from './manual-outcome';

const newKey = () => `manual-${randomId(20)}`;
const PROBLEMS_SHOWN = 50;

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

/** A form error by path, the way the problem list reads: "Row 2 · to.email: …", "messages[0] · subject: …". */
function describeProblem(path: string, message: string): string {
  const row = /^rows\.(\d+)(?:\.(\w+))?$/.exec(path);
  if (row) {
    const field = MANUAL_ROW_FIELDS.find((f) => f.key === row[2])?.path;
    return `Row ${Number(row[1]) + 1}${field ? ` · ${field}` : ''}: ${message}`;
  }
  const json = /^json\.(\d+)(?:\.(.+))?$/.exec(path);
  if (json) return `messages[${json[1]}]${json[2] ? ` · ${json[2]}` : ''}: ${message}`;
  if (path === 'from.email' || path === 'from.name') return `${path}: ${message}`;
  return message;
}

/** The field a problem is fixed in, for the summary's link. */
function problemFieldId(path: string): string | null {
  if (path === 'idempotencyKey') return 'manual-key';
  if (path === 'profile') return 'manual-profile';
  if (path.startsWith('from.')) return 'manual-from-email';
  const row = /^rows\.(\d+)\.(\w+)$/.exec(path);
  if (row) return `manual-${row[1]}-${row[2]}`;
  if (path === 'json' || path.startsWith('json.')) return 'manual-json';
  return null;
}

const messageProblems = (errors: FieldErrors<ManualBatchForm>): SummaryItem[] =>
  flattenErrors(errors).map(([path, message]) =>
    path === 'idempotencyKey' || path === 'profile'
      ? {
          fieldId: problemFieldId(path),
          label: path === 'profile' ? 'Key profile' : 'Idempotency key',
          message,
        }
      : { fieldId: problemFieldId(path), label: '', message: describeProblem(path, message) },
  );

// zod and the schema load once the page is interactive, not with it.
const resolver = lazyZodResolver(() =>
  import('@/lib/schemas/manual-batch').then((m) => m.manualBatchFormSchema),
);

export function ManualBatch({
  profiles,
  sandbox,
  initialKey,
}: {
  profiles: KeyProfileSummary[];
  sandbox: boolean;
  initialKey: string;
}) {
  const form = useForm<ManualBatchForm, unknown, ManualBatchSend>({
    resolver,
    // The error summary takes focus and links to each field.
    shouldFocusError: false,
    defaultValues: {
      idempotencyKey: initialKey,
      profile: profiles[0]?.name ?? '',
      mode: 'rows',
      from: { email: '', name: '' },
      rows: [emptyManualRow()],
      json: '',
    },
  });
  useEffect(() => resolver.preload(), []);
  const { control, register, setValue, getValues, clearErrors, formState } = form;
  const { errors } = formState;
  const rows = useFieldArray({ control, name: 'rows' });
  const [mode, idempotencyKey, profile] = useWatch({ control, name: ['mode', 'idempotencyKey', 'profile'] });
  const [serverProblems, setServerProblems] = useState<SummaryItem[]>([]);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<ManualOutcome | null>(null);
  const problems = [...messageProblems(errors), ...serverProblems];

  function startNewKey() {
    setValue('idempotencyKey', newKey());
    clearErrors('idempotencyKey');
    setOutcome(null);
  }

  const send = form.handleSubmit(
    async (input) => {
      setServerProblems([]);
      setSending(true);
      const to = input.messages.map((m) => m.to.email);
      const key = input.idempotencyKey;
      try {
        const result = await sendManualBatchAction(input);
        if (result.ok) {
          setOutcome({ ok: true, ...result.data, to, key });
          toast.success(`Sent: ${result.data.summary.queued} queued, ${result.data.summary.failed} failed`);
        } else if (result.error.code === 'invalid_input' && result.fieldErrors) {
          setServerProblems(
            Object.entries(result.fieldErrors).flatMap(([field, messages]) =>
              messages.map((message) => ({
                fieldId: getValues('mode') === 'json' ? 'manual-json' : null,
                label: field,
                message,
              })),
            ),
          );
        } else {
          setOutcome({ ok: false, error: result.error, results: result.results ?? [], to, key });
        }
      } catch {
        setOutcome({
          ok: false,
          error: {
            code: 'network_error',
            message:
              'The console did not answer. Send again: the same idempotency key prevents a double send.',
          },
          results: [],
          to,
          key,
        });
      } finally {
        setSending(false);
      }
    },
    () => setServerProblems([]),
  );

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
          <ErrorSummary
            title={`Fix ${problems.length === 1 ? 'this' : `these ${problems.length}`} before sending; nothing was sent`}
            items={problems.slice(0, PROBLEMS_SHOWN)}
            attempt={formState.submitCount}
          />
          <IdempotencyKeyField
            id="manual-key"
            value={idempotencyKey}
            error={errors.idempotencyKey?.message ?? null}
            onChange={(v) => {
              setValue('idempotencyKey', v);
              clearErrors('idempotencyKey');
            }}
            onNewKey={startNewKey}
          />
          <KeyProfileSelect
            id="manual-profile"
            profiles={profiles}
            value={profile}
            onChange={(p) => setValue('profile', p)}
          />

          <Tabs value={mode} onValueChange={(v) => setValue('mode', v === 'json' ? 'json' : 'rows')}>
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
                  error={errors.from?.email ? 'Enter a valid sender address' : undefined}
                >
                  <Input type="email" autoComplete="off" {...register('from.email')} />
                </FormField>
                <FormField id="manual-from-name" label="From name" hint="Optional">
                  <Input autoComplete="off" {...register('from.name')} />
                </FormField>
              </div>
              <ol className="grid gap-3" aria-label="Messages">
                {rows.fields.map((row, i) => (
                  <li key={row.id} className="grid gap-2 rounded-md border p-3">
                    <div className="flex items-center justify-between">
                      <span className="text-sm font-medium">Row {i + 1}</span>
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon-sm"
                        aria-label={`Remove row ${i + 1}`}
                        disabled={rows.fields.length === 1}
                        onClick={() => rows.remove(i)}
                      >
                        <Trash2 aria-hidden />
                      </Button>
                    </div>
                    <div className="grid gap-2 sm:grid-cols-2">
                      {MANUAL_ROW_FIELDS.map((f) => {
                        const id = `manual-${i}-${f.key}`;
                        const invalid = !!errors.rows?.[i]?.[f.key] || undefined;
                        return (
                          <div
                            key={f.key}
                            className={f.key === 'html' ? 'grid gap-1 sm:col-span-2' : 'grid gap-1'}
                          >
                            <Label htmlFor={id} className="text-xs">
                              Row {i + 1} {f.label}
                            </Label>
                            {f.key === 'html' ? (
                              <Textarea
                                id={id}
                                rows={2}
                                className="font-mono text-xs"
                                aria-invalid={invalid}
                                {...register(`rows.${i}.${f.key}`)}
                              />
                            ) : (
                              <Input
                                id={id}
                                autoComplete="off"
                                aria-invalid={invalid}
                                {...register(`rows.${i}.${f.key}`)}
                              />
                            )}
                          </div>
                        );
                      })}
                    </div>
                  </li>
                ))}
              </ol>
              <div className="flex flex-wrap gap-2">
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  disabled={rows.fields.length >= MAX_BATCH}
                  onClick={() => rows.append(emptyManualRow())}
                >
                  <Plus aria-hidden /> Add row
                </Button>
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  onClick={() => {
                    const values = manualRowsToValues(getValues('from'), getValues('rows'));
                    setValue('json', JSON.stringify({ messages: values }, null, 2));
                    setValue('mode', 'json');
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
                placeholder={EXAMPLE(false)}
                aria-invalid={problems.length > 0 || undefined}
                {...register('json')}
              />
              <div>
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  onClick={() => setValue('json', EXAMPLE(sandbox))}
                >
                  Insert an example
                </Button>
              </div>
            </TabsContent>
          </Tabs>

          <div>
            <Button type="button" size="lg" onClick={() => void send()} disabled={sending}>
              {sending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
              Send in one request
            </Button>
          </div>
        </CardContent>
      </Card>

      <div aria-live="polite" className="grid min-w-0 gap-4 xl:sticky xl:top-4">
        {outcome ? <ManualOutcomePanel outcome={outcome} onNewKey={startNewKey} /> : null}
      </div>
    </div>
  );
}
