'use client';

import { FilePlus2, Loader2, Send } from 'lucide-react';
import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { FormProvider, useForm, useWatch, type Path } from 'react-hook-form';
import { toast } from 'sonner';
import { ErrorSummary, type SummaryItem } from '@/components/error-summary';
import { IdempotencyKeyField, KeyProfileSelect } from '@/components/send-intent-fields';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { clearDraft, loadDraft, saveDraft, type SentUnderKey } from '@/lib/compose/draft-store';
import { messageDigest } from '@/lib/compose/message-digest';
import { formPathForUpstreamField } from '@/lib/compose/field-paths';
import { flattenErrors } from '@/lib/forms/form-errors';
import { lazyZodResolver } from '@/lib/forms/lazy-resolver';
import { messageFromTemplate } from '@/lib/compose/templates';
import { formatLocalTime } from '@/lib/format/display';
import type { KeyProfileSummary } from '@/lib/sendmux/profiles';
import type { TemplateSummary } from '@/lib/templates/store';
import { randomId } from '@/lib/ids';
import type { MessageInput } from '@/lib/schemas/message';
import { emptyMessage } from '@/lib/schemas/message-values';
import { htmlToTextAction, loadMailboxesAction, sendEmailAction } from './actions';
import { AttachmentsField } from './attachments-field';
import { ContentCard, SenderCard } from './message-cards';
import { ScenarioPresets, type ScenarioPreset } from './scenario-presets';
import { fieldId, fieldLabel } from './fields';
import { HeadersField } from './headers-field';
import { DeliveryGroupField } from './delivery-group-field';
import { PreviewPanel } from './preview-panel';
import type { SendOutcome } from './result-panel';
import { TemplatesDialog } from './templates-dialog';
import { NoticeAlert, type Notice } from '@/components/notice-alert';

// Shown only once a send starts: its code (and react-query's) is not part of the page's first load.
const SendStatus = dynamic(() => import('./send-status').then((m) => m.SendStatus));

type Props = {
  userId: string;
  profiles: KeyProfileSummary[];
  apiUrl: string;
  templates: TemplateSummary[];
  presets: ScenarioPreset[];
  fromRequest: { message: MessageInput; profile: string; notes: string[]; source: string } | null;
};

const newKey = () => `compose-${randomId(20)}`;

// zod and the schema load once the page is interactive, not with it.
const resolver = lazyZodResolver(() => import('@/lib/schemas/message').then((m) => m.messageSchema));

export function ComposeClient({ userId, profiles, apiUrl, templates, presets, fromRequest }: Props) {
  const router = useRouter();
  const form = useForm<MessageInput>({
    resolver,
    // The error summary takes focus and links to each field.
    shouldFocusError: false,
    defaultValues: emptyMessage(),
    mode: 'onTouched',
  });
  useEffect(() => resolver.preload(), []);
  const [profile, setProfile] = useState(profiles[0]?.name ?? '');
  const [idempotencyKey, setIdempotencyKey] = useState('');
  const [keyError, setKeyError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<SendOutcome | null>(null);
  const [sending, setSending] = useState(false);
  const [attachmentsBusy, setAttachmentsBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [extraErrors, setExtraErrors] = useState<SummaryItem[]>([]);
  const [mailboxes, setMailboxes] = useState<string[]>([]);
  const [generating, setGenerating] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  const [submitCount, setSubmitCount] = useState(0);
  const [lastSuccess, setLastSuccess] = useState<SentUnderKey | null>(null);
  const message = useWatch({ control: form.control }) as MessageInput;

  // Restore: a request opened from the log wins over the stored draft.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      if (fromRequest) {
        form.reset(fromRequest.message);
        if (profiles.some((p) => p.name === fromRequest.profile)) setProfile(fromRequest.profile);
        setIdempotencyKey(newKey());
        setNotice({
          title: `Loaded from ${fromRequest.source} with a new idempotency key`,
          lines: fromRequest.notes,
          tone: fromRequest.notes.length ? 'warning' : 'default',
        });
        router.replace('/compose');
      } else {
        const saved = await loadDraft(userId).catch(() => null);
        if (cancelled) return;
        if (saved) {
          form.reset(saved.draft.message);
          if (profiles.some((p) => p.name === saved.draft.profile)) setProfile(saved.draft.profile);
          setIdempotencyKey(saved.draft.idempotencyKey || newKey());
          setLastSuccess(saved.draft.sent ?? null);
          const lines = saved.missing.map(
            (name) => `Attach ${name} again: its content could not be restored.`,
          );
          setNotice({
            title: `Draft restored (saved ${formatLocalTime(saved.draft.savedAt)})`,
            lines,
            tone: lines.length ? 'warning' : 'default',
          });
        } else setIdempotencyKey(newKey());
      }
      setHydrated(true);
    })();
    return () => {
      cancelled = true;
    };
    // Runs once on mount: later prop changes (router.refresh after saving a template) must not reset the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Autosave everything typed, the chosen profile and the key.
  useEffect(() => {
    if (!hydrated) return;
    const t = setTimeout(
      () => saveDraft(userId, { profile, idempotencyKey, message, sent: lastSuccess }),
      300,
    );
    return () => clearTimeout(t);
  }, [hydrated, userId, profile, idempotencyKey, message, lastSuccess]);

  useEffect(() => {
    if (!profile) return;
    let cancelled = false;
    loadMailboxesAction({ profile }).then((r) => !cancelled && r.ok && setMailboxes(r.data));
    return () => {
      cancelled = true;
    };
  }, [profile]);

  const startNewKey = useCallback(() => {
    setIdempotencyKey(newKey());
    setKeyError(null);
    setOutcome(null);
  }, []);

  const submit = form.handleSubmit(
    async (values) => {
      const { idempotencyKeySchema } = await import('@/lib/schemas/message');
      const key = idempotencyKeySchema.safeParse(idempotencyKey);
      if (!key.success) {
        setKeyError(key.error.issues[0]?.message ?? 'Invalid idempotency key');
        return;
      }
      if (attachmentsBusy) {
        toast.info('Wait for the attachments to finish, then send.');
        return;
      }
      // A message changed after Sendmux accepted it under this key is a new message: it gets a
      // new key, instead of a 409 idempotency_conflict. The same message again keeps the key, so
      // Sendmux answers with the first send and nothing goes out twice.
      const digest = messageDigest(profile, values);
      let sendKey = idempotencyKey;
      if (lastSuccess?.key === sendKey && lastSuccess.digest !== digest) {
        sendKey = newKey();
        setIdempotencyKey(sendKey);
        toast.info('The message changed since it was sent, so it goes out under a new idempotency key.');
      }
      setSubmitCount((n) => n + 1);
      setSending(true);
      setOutcome(null);
      setExtraErrors([]);
      try {
        const result = await sendEmailAction({ profile, idempotencyKey: sendKey, message: values });
        const at = new Date().toISOString();
        if (result.ok) {
          const replayed = lastSuccess?.key === sendKey && lastSuccess.messageId === result.data.messageId;
          setLastSuccess({ key: sendKey, messageId: result.data.messageId, digest });
          setOutcome({ ok: true, ...result.data, idempotencyKey: sendKey, replayed, at });
          toast.success(
            replayed ? 'Already sent under this key: nothing new went out' : `Sent: ${result.data.messageId}`,
          );
          return;
        }
        const unmapped: SummaryItem[] = [];
        for (const [path, messages] of Object.entries(result.fieldErrors ?? {})) {
          const local = path.replace(/^message\./, '');
          if (local === 'idempotencyKey') setKeyError(messages[0] ?? '');
          else if (local === 'profile')
            unmapped.push({ fieldId: 'profile', label: 'Key profile', message: messages[0] ?? '' });
          else form.setError(local as Path<MessageInput>, { type: 'server', message: messages[0] });
        }
        for (const [field, messages] of Object.entries(result.upstreamFieldErrors ?? {})) {
          const local = formPathForUpstreamField(field, values);
          if (local)
            form.setError(local as Path<MessageInput>, {
              type: 'sendmux',
              message: `Sendmux: ${messages[0]}`,
            });
          else unmapped.push({ fieldId: null, label: field, message: messages[0] ?? '' });
        }
        setExtraErrors(unmapped);
        setOutcome({
          ok: false,
          error: result.error,
          attempts: result.attempts,
          idempotencyKey: sendKey,
          at,
        });
      } catch {
        setOutcome({
          ok: false,
          error: {
            code: 'network_error',
            message:
              'The console did not answer. Your draft is kept; check your connection and send again — the same key prevents a double send.',
          },
          idempotencyKey: sendKey,
          at: new Date().toISOString(),
        });
      } finally {
        setSending(false);
      }
    },
    () => setSubmitCount((n) => n + 1),
  );

  const summary: SummaryItem[] = useMemo(
    () => [
      ...flattenErrors(form.formState.errors).map(([path, msg]) => ({
        fieldId: fieldId(path),
        label: fieldLabel(path),
        message: msg,
      })),
      ...extraErrors,
    ],
    // formState.errors is a proxy that changes identity on every error change; submitCount re-runs after each attempt.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [form.formState.errors, form.formState.submitCount, extraErrors, submitCount],
  );

  async function generateText() {
    const html = form.getValues('htmlBody');
    if (
      form.getValues('textBody').trim() &&
      !window.confirm('Replace the current text body with text generated from the HTML?')
    )
      return;
    setGenerating(true);
    const result = await htmlToTextAction({ html });
    setGenerating(false);
    if (result.ok) form.setValue('textBody', result.data, { shouldDirty: true, shouldValidate: true });
    else toast.error(result.error.message);
  }

  function loadTemplate(t: TemplateSummary) {
    const current = form.getValues();
    form.reset({ ...messageFromTemplate(t.message), attachments: current.attachments });
    startNewKey();
    setNotice({
      title: `Loaded template “${t.name}” with a new idempotency key`,
      lines: current.attachments.length ? ['Your attachments were kept.'] : [],
      tone: 'default',
    });
  }

  function applyPreset(p: ScenarioPreset) {
    form.setValue('to.email', p.to, { shouldDirty: true, shouldValidate: true });
    startNewKey();
    toast.info(`${p.label}: To is ${p.to}, with a new idempotency key`);
  }

  function newMessage() {
    if (!window.confirm('Start a new message? The current draft is cleared.')) return;
    form.reset(emptyMessage());
    clearDraft(userId);
    setNotice(null);
    setExtraErrors([]);
    startNewKey();
  }

  return (
    <FormProvider {...form}>
      <PageHeader
        title="Compose"
        description="Write a message, check exactly what will go out, send it, and read back its message_id and request_id."
        actions={
          <>
            <TemplatesDialog templates={templates} current={message} onLoad={loadTemplate} />
            <Button type="button" variant="outline" onClick={newMessage}>
              <FilePlus2 aria-hidden /> New message
            </Button>
          </>
        }
      />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,0.9fr)]">
        <form
          noValidate
          aria-label="Message"
          onSubmit={submit}
          onKeyDown={(ev) => {
            if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
              ev.preventDefault();
              if (!sending) void submit();
            }
          }}
          className="@container grid min-w-0 gap-5"
        >
          {notice ? <NoticeAlert notice={notice} /> : null}
          <ErrorSummary
            title={`Fix ${summary.length === 1 ? 'this' : `these ${summary.length}`} before sending`}
            items={submitCount > 0 ? summary : []}
            attempt={submitCount}
          />

          <Card>
            <CardContent className="grid gap-4 pt-5">
              <IdempotencyKeyField
                id="field-idempotencyKey"
                value={idempotencyKey}
                error={keyError}
                onChange={(v) => {
                  setIdempotencyKey(v);
                  setKeyError(null);
                }}
                onNewKey={startNewKey}
              />
              <KeyProfileSelect id="profile" profiles={profiles} value={profile} onChange={setProfile} />
              <ScenarioPresets presets={presets} onPick={applyPreset} />
            </CardContent>
          </Card>

          <SenderCard mailboxes={mailboxes} />

          <ContentCard generating={generating} onGenerateText={generateText} />

          <Card>
            <CardContent className="grid gap-6 pt-5">
              <HeadersField />
              <DeliveryGroupField />
              {idempotencyKey ? (
                <AttachmentsField
                  userId={userId}
                  profile={profile}
                  draftKey={idempotencyKey}
                  onBusyChange={setAttachmentsBusy}
                />
              ) : null}
            </CardContent>
          </Card>

          <div className="bg-background/95 sticky bottom-0 z-10 -mx-1 flex flex-wrap items-center gap-3 border-t px-1 py-3 backdrop-blur">
            <Button type="submit" size="lg" disabled={sending || !hydrated}>
              {sending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
              Send
            </Button>
            <span className="text-muted-foreground text-xs">
              or <kbd className="rounded border px-1 font-mono">Ctrl</kbd>/
              <kbd className="rounded border px-1 font-mono">⌘</kbd> +{' '}
              <kbd className="rounded border px-1 font-mono">Enter</kbd>
            </span>
            {attachmentsBusy ? (
              <span className="text-muted-foreground text-xs">Attachments are still being added…</span>
            ) : null}
          </div>
        </form>

        <aside aria-label="Result and preview" className="grid min-w-0 gap-4 xl:sticky xl:top-4">
          <div aria-live="polite" className="grid gap-4">
            {sending || outcome ? (
              <SendStatus
                sending={sending}
                outcome={outcome}
                idempotencyKey={idempotencyKey}
                onNewKey={startNewKey}
                onRetry={() => void submit()}
              />
            ) : null}
          </div>
          <PreviewPanel
            message={message}
            apiUrl={apiUrl}
            idempotencyKey={idempotencyKey}
            generating={generating}
            onGenerateText={generateText}
            onApplyPayload={(m, notes) => {
              form.reset(m);
              if (notes.length)
                setNotice({ title: 'Applied the payload to the form', lines: notes, tone: 'warning' });
            }}
          />
        </aside>
      </div>
    </FormProvider>
  );
}
