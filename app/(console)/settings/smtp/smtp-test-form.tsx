'use client';

import { Loader2, Paperclip, Send, X } from 'lucide-react';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { ErrorSummary, type SummaryItem } from '@/components/error-summary';
import { FormField } from '@/components/form-field';
import { SmtpTranscript } from '@/components/smtp-transcript';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { Textarea } from '@/components/ui/textarea';
import { formatBytes } from '@/lib/format/display';
import { transcriptText, type SmtpTestOutcome, type TranscriptLine } from '@/lib/format/smtp-transcript';
import { ACCEPT_ATTRIBUTE, checkAttachmentType } from '@/lib/schemas/file-types';
import { lazyZodResolver } from '@/lib/forms/lazy-resolver';
import type { SmtpTestFormInput } from '@/lib/schemas/smtp';
import { SMTP_AUTH_METHODS, SMTP_TEST_ATTACHMENT_BYTES } from '@/lib/schemas/smtp-values';
import { smtpTestSendAction } from './actions';
import { SmtpOutcome } from './smtp-outcome';

const LABELS: Record<string, string> = {
  profile: 'Key profile',
  authMethod: 'AUTH method',
  fromEmail: 'From email',
  fromName: 'From name',
  toEmail: 'To email',
  subject: 'Subject',
  text: 'Text body',
  html: 'HTML body',
  attachment: 'Attachment',
};
const fieldId = (name: string) => `smtp-${name}`;
// zod and the schema load once the page is interactive, not with it.
const resolver = lazyZodResolver(() => import('@/lib/schemas/smtp').then((m) => m.smtpTestFormSchema));
const noSubscription = () => () => {};

export function SmtpTestForm({
  profiles,
  defaults,
  draftKey,
  sandbox,
}: {
  profiles: { name: string }[];
  defaults: SmtpTestFormInput;
  /** localStorage key for what was typed, so a reload loses nothing (never the file). */
  draftKey: string;
  sandbox: boolean;
}) {
  const form = useForm<SmtpTestFormInput>({
    resolver,
    // The error summary takes focus and links to each field.
    shouldFocusError: false,
    defaultValues: defaults,
  });
  useEffect(() => resolver.preload(), []);
  const { errors } = form.formState;
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Until React has taken over the form, a click would submit it as a plain HTML form.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [lines, setLines] = useState<TranscriptLine[]>([]);
  const [outcome, setOutcome] = useState<SmtpTestOutcome | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const values = useWatch({ control: form.control });

  useEffect(() => {
    try {
      const saved = localStorage.getItem(draftKey);
      if (saved) form.reset({ ...defaults, ...(JSON.parse(saved) as Partial<SmtpTestFormInput>) });
    } catch {
      // A draft that cannot be read is dropped, not fatal.
    }
    // Restore once, on mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    if (!hydrated) return;
    try {
      localStorage.setItem(draftKey, JSON.stringify(values));
    } catch {
      // Storage full or disabled: the form still works.
    }
  }, [hydrated, draftKey, values]);

  function chooseFile(chosen: File | undefined) {
    setFileError(null);
    if (!chosen) return;
    const type = checkAttachmentType(chosen.name);
    if (!type.ok) return setFileError(type.reason);
    if (chosen.size === 0) return setFileError('The file is empty');
    if (chosen.size > SMTP_TEST_ATTACHMENT_BYTES)
      return setFileError(
        `${formatBytes(chosen.size)} is over the ${formatBytes(SMTP_TEST_ATTACHMENT_BYTES)} a test attachment may have`,
      );
    setFile(chosen);
  }

  const onSubmit = form.handleSubmit(async (input) => {
    setPending(true);
    setLines([]);
    setOutcome(null);
    setFailure(null);
    const data = new FormData();
    for (const [k, v] of Object.entries(input)) data.set(k, String(v ?? ''));
    if (file) data.set('attachment', file);
    try {
      const result = await smtpTestSendAction(data);
      if (!result.ok) {
        for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) {
          if (field === 'attachment') setFileError(messages[0] ?? null);
          else form.setError(field as keyof SmtpTestFormInput, { message: messages[0] });
        }
        if (!result.fieldErrors) setFailure(`${result.error.code}: ${result.error.message}`);
        return;
      }
      for await (const event of result.data.events) {
        if (event.type === 'line') setLines((l) => [...l, event.line]);
        else setOutcome(event.outcome);
      }
    } catch (err) {
      setFailure(
        `The connection to the console broke before the test finished (${err instanceof Error ? err.message : String(err)}). The test may still have run: look for it in the request log.`,
      );
    } finally {
      setPending(false);
    }
  });

  const summary: SummaryItem[] = [
    ...Object.entries(errors)
      .filter(([name]) => name !== 'root')
      .map(([name, e]) => ({
        fieldId: fieldId(name),
        label: LABELS[name] ?? name,
        message: e?.message ?? '',
      })),
    ...(fileError ? [{ fieldId: 'smtp-attachment', label: 'Attachment', message: fileError }] : []),
  ];

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,26rem)_minmax(0,1fr)]">
      <form onSubmit={onSubmit} noValidate aria-label="SMTP test send" className="grid content-start gap-4">
        <ErrorSummary
          title="Fix these to send the test"
          items={summary}
          attempt={form.formState.submitCount}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField id={fieldId('profile')} label="Key profile" error={errors.profile?.message}>
            <NativeSelect {...form.register('profile')}>
              {profiles.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          </FormField>
          <FormField id={fieldId('authMethod')} label="AUTH method" error={errors.authMethod?.message}>
            <NativeSelect {...form.register('authMethod')}>
              {SMTP_AUTH_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </NativeSelect>
          </FormField>
          <FormField id={fieldId('fromEmail')} label="From email" error={errors.fromEmail?.message}>
            <Input type="email" autoComplete="off" {...form.register('fromEmail')} />
          </FormField>
          <FormField
            id={fieldId('fromName')}
            label="From name"
            hint="Optional"
            error={errors.fromName?.message}
          >
            <Input autoComplete="off" {...form.register('fromName')} />
          </FormField>
          <FormField
            id={fieldId('toEmail')}
            label="To email"
            className="sm:col-span-2"
            error={errors.toEmail?.message}
          >
            <Input type="email" autoComplete="off" {...form.register('toEmail')} />
          </FormField>
          <FormField
            id={fieldId('subject')}
            label="Subject"
            className="sm:col-span-2"
            error={errors.subject?.message}
          >
            <Input autoComplete="off" {...form.register('subject')} />
          </FormField>
          <FormField
            id={fieldId('text')}
            label="Text body"
            className="sm:col-span-2"
            error={errors.text?.message}
          >
            <Textarea rows={3} {...form.register('text')} />
          </FormField>
          <FormField
            id={fieldId('html')}
            label="HTML body"
            hint="Optional"
            className="sm:col-span-2"
            error={errors.html?.message}
          >
            <Textarea rows={3} className="font-mono text-xs" {...form.register('html')} />
          </FormField>
        </div>
        <div className="grid gap-1.5">
          <span className="text-sm font-medium" id="smtp-attachment-label">
            Attachment{' '}
            <span className="text-muted-foreground text-xs font-normal">
              Optional, up to {formatBytes(SMTP_TEST_ATTACHMENT_BYTES)}
            </span>
          </span>
          <div className="flex flex-wrap items-center gap-2">
            <input
              ref={fileInput}
              id="smtp-attachment"
              type="file"
              accept={ACCEPT_ATTRIBUTE}
              className="sr-only"
              aria-labelledby="smtp-attachment-label"
              aria-invalid={!!fileError || undefined}
              aria-describedby={fileError ? 'smtp-attachment-error' : undefined}
              onChange={(e) => {
                chooseFile(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
            <Button type="button" variant="outline" size="sm" onClick={() => fileInput.current?.click()}>
              <Paperclip aria-hidden /> {file ? 'Replace file' : 'Attach a file'}
            </Button>
            {file ? (
              <span className="flex items-center gap-1 text-sm">
                {file.name} <span className="text-muted-foreground">({formatBytes(file.size)})</span>
                <Button
                  type="button"
                  variant="ghost"
                  size="icon-sm"
                  aria-label={`Remove ${file.name}`}
                  onClick={() => setFile(null)}
                >
                  <X aria-hidden />
                </Button>
              </span>
            ) : null}
          </div>
          {fileError ? (
            <p id="smtp-attachment-error" className="text-destructive text-sm">
              {fileError}
            </p>
          ) : null}
        </div>
        {sandbox ? (
          <p className="text-muted-foreground text-xs">
            Sandbox scenarios work over SMTP too: To{' '}
            <code className="font-mono">fail+insufficient_credits@example.com</code> answers 552,{' '}
            <code className="font-mono">fail+503@example.com</code> answers 451.
          </p>
        ) : null}
        <div>
          <Button type="submit" disabled={pending || !hydrated}>
            {pending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
            Send test over SMTP
          </Button>
        </div>
      </form>

      <section aria-labelledby="transcript-title" className="grid min-w-0 content-start gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 id="transcript-title" className="font-medium">
            Transcript
          </h3>
          {lines.length && !pending ? (
            <CopyButton value={transcriptText(lines)} label="Copy the transcript as text">
              Copy transcript
            </CopyButton>
          ) : null}
        </div>
        {lines.length ? (
          <SmtpTranscript lines={lines} pending={pending} />
        ) : (
          <p className="text-muted-foreground rounded-md border border-dashed p-4 text-sm">
            {pending
              ? 'Connecting…'
              : 'Send a test to see the conversation here, line by line: connect, EHLO, STARTTLS and the certificate, AUTH (the secret shown as ***), MAIL FROM, RCPT TO, DATA and the server’s final answer.'}
          </p>
        )}
        <div aria-live="polite">
          {outcome ? <SmtpOutcome outcome={outcome} sandbox={sandbox} /> : null}
          {failure ? <p className="text-destructive text-sm">{failure}</p> : null}
        </div>
      </section>
    </div>
  );
}
