'use client';

import {
  ArrowLeft,
  ArrowRight,
  BookMarked,
  FileText,
  Paperclip,
  Plus,
  Trash2,
  TriangleAlert,
} from 'lucide-react';
import { useRef, useState } from 'react';
import { toast } from 'sonner';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import type { ParsedCsv } from '@/lib/mail-merge/csv';
import {
  FIELD_LABELS,
  MAPPED_FIELDS,
  missingColumns,
  specFromMessage,
  type BatchAttachment,
  type BatchSpec,
  type FieldSource,
  type MappedField,
} from '@/lib/mail-merge/mapping';
import type { TemplateSummary } from '@/lib/templates/store';
import { randomId } from '@/lib/ids';
import { ACCEPT_ATTRIBUTE, checkAttachmentType } from '@/lib/schemas/file-types';
import { MAX_ATTACHMENTS, UPLOAD_LIMIT_BYTES } from '@/lib/schemas/limits';
import { emptyMessage, type MessageInput } from '@/lib/schemas/message';
import { uploadAttachmentAction } from '../../compose/actions';
import type { ProfileChoice } from './new-batch-tabs';
import { TemplateField, type TemplateFieldName } from './template-field';
import { FileIntakeStatus, type RefusedFile } from '@/components/file-intake-status';
import { formatBytes } from '@/lib/format/display';

type SetSpec = (update: (spec: BatchSpec) => BatchSpec) => void;

const FIELD_HINTS: Partial<Record<MappedField, string>> = {
  toEmail: 'Required: one address per row',
  fromEmail: 'Required: usually a fixed value',
  cc: 'Addresses separated by , or ;',
  bcc: 'Addresses separated by , or ;',
  returnPath: 'Optional envelope sender',
};

const FIXED = '__fixed__';

function SourceControl({
  id,
  label,
  hint,
  source,
  columns,
  sample,
  required,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  source: FieldSource | undefined;
  columns: readonly string[];
  sample: Readonly<Record<string, string>> | undefined;
  required?: boolean;
  onChange: (source: FieldSource | undefined) => void;
}) {
  const value = !source ? '' : source.kind === 'fixed' ? FIXED : `col:${source.column}`;
  const missing = source?.kind === 'column' && !columns.includes(source.column);
  const example = source?.kind === 'column' && !missing ? sample?.[source.column] : undefined;
  const described =
    [hint ? `${id}-hint` : null, missing ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="grid content-start gap-1.5">
      <div className="flex items-baseline justify-between gap-2">
        <Label htmlFor={id}>{label}</Label>
        {hint ? (
          <span id={`${id}-hint`} className="text-muted-foreground text-right text-xs">
            {hint}
          </span>
        ) : null}
      </div>
      <NativeSelect
        id={id}
        value={value}
        aria-invalid={missing || undefined}
        aria-describedby={described}
        onChange={(e) => {
          const v = e.target.value;
          if (v === '') onChange(undefined);
          else if (v === FIXED)
            onChange({ kind: 'fixed', value: source?.kind === 'fixed' ? source.value : '' });
          else onChange({ kind: 'column', column: v.slice(4) });
        }}
      >
        <option value="">{required ? 'Choose a column or a fixed value' : 'Not set'}</option>
        {missing ? <option value={value}>{source.column} (not in this file)</option> : null}
        <optgroup label="Columns of the file">
          {columns.map((c) => (
            <option key={c} value={`col:${c}`}>
              {c}
            </option>
          ))}
        </optgroup>
        <option value={FIXED}>Fixed value for every row…</option>
      </NativeSelect>
      {source?.kind === 'fixed' ? (
        <Input
          aria-label={`${label}, fixed value`}
          value={source.value}
          autoComplete="off"
          onChange={(e) => onChange({ kind: 'fixed', value: e.target.value })}
        />
      ) : null}
      {example !== undefined ? (
        <p className="text-muted-foreground truncate text-xs" title={example}>
          First row: {example === '' ? <em>empty</em> : example}
        </p>
      ) : null}
      {missing ? (
        <p id={`${id}-error`} className="text-destructive text-sm">
          This file has no column “{source.column}”
        </p>
      ) : null}
    </div>
  );
}

function toMessageInput(t: TemplateSummary): MessageInput {
  const m = t.message;
  return {
    ...emptyMessage(),
    ...m,
    cc: m.cc.map((r) => ({ email: r.email, name: r.name ?? '' })),
    bcc: m.bcc.map((r) => ({ email: r.email, name: r.name ?? '' })),
    headers: m.headers.map((h) => ({ name: h.name, value: h.value ?? '' })),
    attachments: [],
  };
}

export function MappingStep({
  parsed,
  spec,
  setSpec,
  profile,
  setProfile,
  profiles,
  templates,
  onBack,
  onNext,
}: {
  parsed: ParsedCsv;
  spec: BatchSpec;
  setSpec: SetSpec;
  profile: string;
  setProfile: (p: string) => void;
  profiles: ProfileChoice[];
  templates: TemplateSummary[];
  onBack: () => void;
  onNext: () => void;
}) {
  const { columns } = parsed;
  const sample = parsed.rows[0]?.values;
  const lastTemplate = useRef<{ name: TemplateFieldName; el: HTMLInputElement | HTMLTextAreaElement } | null>(
    null,
  );
  const [templatesOpen, setTemplatesOpen] = useState(false);
  const missing = missingColumns(spec, columns);

  const setField = (field: MappedField, source: FieldSource | undefined) =>
    setSpec((s) => ({ ...s, fields: { ...s.fields, [field]: source } }));
  const setTemplate = (name: TemplateFieldName, value: string) => setSpec((s) => ({ ...s, [name]: value }));

  function insertVariable(column: string) {
    const tag = `{{${column}}}`;
    const target = lastTemplate.current;
    if (!target) {
      setSpec((s) => ({ ...s, htmlBody: s.htmlBody + tag }));
      return;
    }
    const { name, el } = target;
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? start;
    setSpec((s) => ({ ...s, [name]: s[name].slice(0, start) + tag + s[name].slice(end) }));
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(start + tag.length, start + tag.length);
    });
  }

  return (
    <div className="grid gap-5">
      <Card aria-labelledby="mapping-heading">
        <CardHeader>
          <CardTitle id="mapping-heading">2. Map the columns</CardTitle>
          <CardDescription>
            Every message field takes a column of the file or a fixed value. Columns whose names say what they
            hold were mapped for you.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <div className="flex flex-wrap items-end gap-3">
            {profiles.length > 1 ? (
              <div className="grid gap-1.5">
                <Label htmlFor="batch-profile">Key profile</Label>
                <NativeSelect
                  id="batch-profile"
                  className="w-72"
                  value={profile}
                  onChange={(e) => setProfile(e.target.value)}
                >
                  {profiles.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.name} ({p.maskedKey})
                    </option>
                  ))}
                </NativeSelect>
              </div>
            ) : null}
            <Dialog open={templatesOpen} onOpenChange={setTemplatesOpen}>
              <DialogTrigger asChild>
                <Button type="button" variant="outline">
                  <BookMarked aria-hidden /> Load a Compose template
                </Button>
              </DialogTrigger>
              <DialogContent className="max-w-xl">
                <DialogHeader>
                  <DialogTitle>Load a Compose template</DialogTitle>
                  <DialogDescription>
                    Its sender, Reply-To, Cc, Bcc, headers, subject and bodies become fixed values and
                    templates here. The To mapping is kept.
                  </DialogDescription>
                </DialogHeader>
                {templates.length === 0 ? (
                  <p className="text-muted-foreground text-sm">
                    No templates yet. Save one from Compose with “Templates → Save”.
                  </p>
                ) : (
                  <ul className="grid max-h-80 gap-1 overflow-y-auto">
                    {templates.map((t) => (
                      <li key={t.id} className="flex items-center gap-2 rounded-md border px-3 py-2 text-sm">
                        <span className="min-w-0 flex-1">
                          <span className="block truncate font-medium">{t.name}</span>
                          <span className="text-muted-foreground block truncate text-xs">
                            {t.message.subject || '(no subject)'}
                          </span>
                        </span>
                        <Button
                          type="button"
                          size="sm"
                          variant="outline"
                          onClick={() => {
                            setSpec((s) => specFromMessage(toMessageInput(t), s));
                            setTemplatesOpen(false);
                            toast.success(`Loaded the template “${t.name}”`);
                          }}
                        >
                          Load<span className="sr-only"> {t.name}</span>
                        </Button>
                      </li>
                    ))}
                  </ul>
                )}
              </DialogContent>
            </Dialog>
          </div>
          {missing.length ? (
            <p role="alert" className="text-destructive flex items-start gap-2 text-sm">
              <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
              The mapping uses {missing.map((m) => `“${m}”`).join(', ')}, which this file does not have.
              Choose other columns below.
            </p>
          ) : null}
          <fieldset className="grid gap-4">
            <legend className="mb-3 text-sm font-semibold">Sender and recipients</legend>
            <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
              {MAPPED_FIELDS.map((field) => (
                <SourceControl
                  key={field}
                  id={`map-${field}`}
                  label={FIELD_LABELS[field]}
                  hint={FIELD_HINTS[field]}
                  required={field === 'toEmail' || field === 'fromEmail'}
                  source={spec.fields[field]}
                  columns={columns}
                  sample={sample}
                  onChange={(s) => setField(field, s)}
                />
              ))}
            </div>
          </fieldset>
          <HeadersEditor spec={spec} setSpec={setSpec} columns={columns} sample={sample} />
        </CardContent>
      </Card>

      <Card aria-labelledby="content-heading">
        <CardHeader>
          <CardTitle id="content-heading">Content</CardTitle>
          <CardDescription>
            Subject, HTML and text are templates: <code className="font-mono">{'{{column}}'}</code> puts in
            the row’s value, <code className="font-mono">{'{{column|fallback}}'}</code> uses the fallback when
            the cell is empty. Values are HTML-escaped in the HTML body. Sendmux’s own tags such as{' '}
            <code className="font-mono">[DP_NAME]</code> pass through untouched.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="grid gap-1.5">
            <p id="variables-label" className="text-sm font-medium">
              Insert a column at the cursor
            </p>
            <div role="group" aria-labelledby="variables-label" className="flex flex-wrap gap-1.5">
              {columns.map((c) => (
                <Button
                  key={c}
                  type="button"
                  size="sm"
                  variant="secondary"
                  className="font-mono"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => insertVariable(c)}
                >
                  {`{{${c}}}`}
                </Button>
              ))}
            </div>
          </div>
          <TemplateField
            name="subject"
            label="Subject"
            value={spec.subject}
            columns={columns}
            onChange={(v) => setTemplate('subject', v)}
            onFocusField={(name, el) => (lastTemplate.current = { name, el })}
          />
          <TemplateField
            name="htmlBody"
            label="HTML body"
            hint="Required by Sendmux"
            rows={10}
            value={spec.htmlBody}
            columns={columns}
            onChange={(v) => setTemplate('htmlBody', v)}
            onFocusField={(name, el) => (lastTemplate.current = { name, el })}
          />
          <TemplateField
            name="textBody"
            label="Text body"
            hint="Optional plain-text alternative"
            rows={5}
            value={spec.textBody}
            columns={columns}
            onChange={(v) => setTemplate('textBody', v)}
            onFocusField={(name, el) => (lastTemplate.current = { name, el })}
          />
        </CardContent>
      </Card>

      <AttachmentsCard spec={spec} setSpec={setSpec} profile={profile} />

      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" onClick={onBack}>
          <ArrowLeft aria-hidden /> Back to upload
        </Button>
        <Button type="button" onClick={onNext}>
          Next: preview and check every row <ArrowRight aria-hidden />
        </Button>
      </div>
    </div>
  );
}

function HeadersEditor({
  spec,
  setSpec,
  columns,
  sample,
}: {
  spec: BatchSpec;
  setSpec: SetSpec;
  columns: readonly string[];
  sample: Readonly<Record<string, string>> | undefined;
}) {
  const update = (i: number, patch: Partial<BatchSpec['headers'][number]>) =>
    setSpec((s) => ({ ...s, headers: s.headers.map((h, j) => (j === i ? { ...h, ...patch } : h)) }));
  return (
    <fieldset className="grid gap-3">
      <legend className="mb-1 text-sm font-semibold">Custom headers</legend>
      <p className="text-muted-foreground text-xs">
        Names start with X-. A header whose value is empty on a row is left out of that row’s message.
      </p>
      {spec.headers.map((h, i) => (
        <div
          key={i}
          className="grid items-start gap-3 rounded-md border p-3 md:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto]"
        >
          <div className="grid gap-1.5">
            <Label htmlFor={`header-${i}-name`}>Header {i + 1} name</Label>
            <Input
              id={`header-${i}-name`}
              value={h.name}
              placeholder="X-Campaign"
              autoComplete="off"
              onChange={(e) => update(i, { name: e.target.value })}
            />
          </div>
          <SourceControl
            id={`header-${i}-source`}
            label={`Header ${i + 1} value`}
            source={h.source}
            columns={columns}
            sample={sample}
            onChange={(source) => update(i, { source: source ?? { kind: 'fixed', value: '' } })}
          />
          <Button
            type="button"
            variant="ghost"
            size="icon"
            className="md:mt-6"
            aria-label={`Remove header ${i + 1}`}
            onClick={() => setSpec((s) => ({ ...s, headers: s.headers.filter((_, j) => j !== i) }))}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      ))}
      <div>
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={() =>
            setSpec((s) => ({
              ...s,
              headers: [...s.headers, { name: '', source: { kind: 'fixed', value: '' } }],
            }))
          }
        >
          <Plus aria-hidden /> Add header
        </Button>
      </div>
    </fieldset>
  );
}

function AttachmentsCard({ spec, setSpec, profile }: { spec: BatchSpec; setSpec: SetSpec; profile: string }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string[]>([]);
  const [refused, setRefused] = useState<RefusedFile[]>([]);

  async function addFiles(files: File[]) {
    const refusals: { name: string; reason: string }[] = [];
    let room = MAX_ATTACHMENTS - spec.attachments.length - busy.length;
    const accepted: File[] = [];
    for (const file of files) {
      const type = checkAttachmentType(file.name);
      if (!type.ok) refusals.push({ name: file.name, reason: type.reason });
      else if (file.size === 0) refusals.push({ name: file.name, reason: 'The file is empty' });
      else if (file.size > UPLOAD_LIMIT_BYTES)
        refusals.push({
          name: file.name,
          reason: `${formatBytes(file.size)} is over Sendmux's ${formatBytes(UPLOAD_LIMIT_BYTES)} upload limit`,
        });
      else if (room-- <= 0)
        refusals.push({ name: file.name, reason: `At most ${MAX_ATTACHMENTS} attachments per message` });
      else accepted.push(file);
    }
    setRefused(refusals);
    for (const file of accepted) {
      setBusy((b) => [...b, file.name]);
      const form = new FormData();
      form.set('profile', profile);
      form.set('idempotencyKey', `batch-upload-${randomId(20)}`);
      form.set('file', file);
      try {
        const result = await uploadAttachmentAction(form);
        if (!result.ok) {
          setRefused((r) => [
            ...r,
            {
              name: file.name,
              reason: `Upload failed: ${result.error.code} — ${result.error.message}${result.error.requestId ? ` (request_id ${result.error.requestId})` : ''}`,
            },
          ]);
          continue;
        }
        const d = result.data;
        const attachment: BatchAttachment = {
          filename: d.filename,
          contentType: d.contentType,
          size: d.size,
          attachmentId: d.attachmentId,
          expiresAt: d.expiresAt,
          profile: d.profile,
        };
        setSpec((s) => ({ ...s, attachments: [...s.attachments, attachment] }));
      } catch {
        setRefused((r) => [...r, { name: file.name, reason: 'The console did not answer; try again' }]);
      } finally {
        setBusy((b) => b.filter((name) => name !== file.name));
      }
    }
  }

  return (
    <Card aria-labelledby="attachments-heading">
      <CardHeader>
        <CardTitle id="attachments-heading">Attachments for every message</CardTitle>
        <CardDescription>
          Each file is uploaded to Sendmux once (up to {formatBytes(UPLOAD_LIMIT_BYTES)}) and every message
          refers to it by attachment_id, so the file is not repeated in each request. Uploads belong to the
          key profile they were made with.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <input
          ref={inputRef}
          id="batch-attachment-input"
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          className="sr-only"
          onChange={(e) => {
            void addFiles([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        <label htmlFor="batch-attachment-input" className="sr-only">
          Add attachments for every message
        </label>
        <div>
          <Button
            type="button"
            variant="outline"
            size="sm"
            onClick={() => inputRef.current?.click()}
            disabled={spec.attachments.length >= MAX_ATTACHMENTS}
          >
            <Paperclip aria-hidden /> Upload attachments
          </Button>
        </div>
        <FileIntakeStatus refused={refused} busy={busy} busyVerb="Uploading" className="empty:hidden" />
        {spec.attachments.length ? (
          <ul className="grid gap-2" aria-label="Attachments for every message">
            {spec.attachments.map((a, i) => (
              <li
                key={a.attachmentId}
                className="flex flex-wrap items-center gap-2 rounded-md border p-2.5 text-sm"
              >
                <FileText className="text-muted-foreground size-4 shrink-0" aria-hidden />
                <span className="min-w-0 flex-1 truncate font-medium">{a.filename}</span>
                <span className="text-muted-foreground text-xs">{formatBytes(a.size)}</span>
                <Badge variant="default" title={`Expires ${a.expiresAt}`}>
                  <span className="font-mono">{a.attachmentId}</span>
                </Badge>
                {a.profile !== profile ? (
                  <Badge variant="destructive">uploaded for “{a.profile}”</Badge>
                ) : null}
                <Button
                  type="button"
                  variant="ghost"
                  size="icon-sm"
                  aria-label={`Remove ${a.filename}`}
                  onClick={() =>
                    setSpec((s) => ({ ...s, attachments: s.attachments.filter((_, j) => j !== i) }))
                  }
                >
                  <Trash2 aria-hidden />
                </Button>
              </li>
            ))}
          </ul>
        ) : null}
      </CardContent>
    </Card>
  );
}
