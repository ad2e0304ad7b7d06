'use client';

import { CloudUpload, FileText, Paperclip, Trash2 } from 'lucide-react';
import { useRef, useState } from 'react';
import { useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { forgetAttachmentContent, storeAttachmentContent } from '@/lib/compose/draft-store';
import { cn } from '@/lib/cn';
import { randomId } from '@/lib/ids';
import { admitAttachments, uploadFailureReason, type RefusedFile } from '@/lib/compose/file-admission';
import { uploadAttachment } from '@/lib/compose/upload';
import { ACCEPT_ATTRIBUTE } from '@/lib/schemas/file-types';
import {
  base64Length,
  INLINE_THRESHOLD_BYTES,
  INLINE_TOTAL_BYTES,
  MAX_ATTACHMENTS,
  MESSAGE_LIMIT_BYTES,
  UPLOAD_LIMIT_BYTES,
} from '@/lib/schemas/limits';
import { type MessageInput } from '@/lib/schemas/message';
import { estimatedMessageBytes } from '@/lib/schemas/message-values';
import { fieldId } from './fields';
import { FileIntakeStatus } from '@/components/file-intake-status';
import { FileDropZone, FilePickerInput } from '@/components/file-picker';
import { formatBytes } from '@/lib/format/display';

type Sniffed = Record<string, string>;

/** Base64 of a file, encoded natively by the browser (FileReader) so the page stays responsive. */
function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function sniffType(file: File): Promise<string | undefined> {
  try {
    const { fileTypeFromBlob } = await import('file-type');
    return (await fileTypeFromBlob(file))?.mime;
  } catch {
    return undefined;
  }
}

export function AttachmentsField({
  userId,
  profile,
  draftKey,
  onBusyChange,
}: {
  userId: string;
  profile: string;
  draftKey: string;
  onBusyChange: (busy: boolean) => void;
}) {
  const { control, formState, clearErrors } = useFormContext<MessageInput>();
  const { fields, append, remove } = useFieldArray({ control, name: 'attachments', keyName: 'rowKey' });
  const watched = useWatch({ control, name: ['htmlBody', 'textBody', 'attachments'] });
  const [refused, setRefused] = useState<RefusedFile[]>([]);
  const [busy, setBusy] = useState<string[]>([]);
  const [sniffed, setSniffed] = useState<Sniffed>({});
  const inputRef = useRef<HTMLInputElement>(null);

  const attachments = watched[2] ?? [];
  const raw = attachments.reduce((n, a) => n + a.size, 0);
  const encoded = attachments.reduce(
    (n, a) => n + (a.kind === 'inline' ? a.content.length : base64Length(a.size)),
    0,
  );
  const total = estimatedMessageBytes({
    htmlBody: watched[0] ?? '',
    textBody: watched[1] ?? '',
    attachments,
  });
  const share = total / MESSAGE_LIMIT_BYTES;

  async function addFiles(files: File[]) {
    const { accepted, refused: refusals } = admitAttachments(
      files,
      MAX_ATTACHMENTS - fields.length - busy.length,
    );
    setRefused(refusals);
    if (accepted.length === 0) return;
    clearErrors('attachments');
    const names = accepted.map((a) => a.file.name);
    setBusy((b) => [...b, ...names]);
    onBusyChange(true);
    // Small files go inline while the inline total stays under what an action may carry.
    let inlineBytes = attachments.reduce((n, a) => n + (a.kind === 'inline' ? a.size : 0), 0);
    try {
      for (const { file, contentType } of accepted) {
        const id = randomId();
        void sniffType(file).then((mime) => mime && setSniffed((s) => ({ ...s, [id]: mime })));
        if (file.size <= INLINE_THRESHOLD_BYTES && inlineBytes + file.size <= INLINE_TOTAL_BYTES) {
          inlineBytes += file.size;
          const content = await readAsBase64(file);
          await storeAttachmentContent(userId, id, content).catch(() => undefined);
          append({ id, kind: 'inline', filename: file.name, contentType, size: file.size, content });
        } else {
          const result = await uploadAttachment({
            profile,
            idempotencyKey: `${draftKey}:upload:${id}`,
            file,
          });
          if (!result.ok) {
            setRefused((r) => [...r, { name: file.name, reason: uploadFailureReason(result.error) }]);
            continue;
          }
          await storeAttachmentContent(userId, id, file).catch(() => undefined);
          append({
            id,
            kind: 'uploaded',
            filename: file.name,
            contentType,
            size: file.size,
            attachmentId: result.data.attachmentId,
            expiresAt: result.data.expiresAt,
            profile: result.data.profile,
          });
        }
      }
    } finally {
      setBusy((b) => b.filter((n) => !names.includes(n)));
      onBusyChange(false);
    }
  }

  const listError = formState.errors.attachments?.message ?? formState.errors.attachments?.root?.message;

  return (
    <fieldset className="grid gap-3">
      <legend className="mb-1 text-sm font-medium">Attachments</legend>
      <FileDropZone
        id={fieldId('attachments')}
        tabIndex={-1}
        invalid={!!listError}
        onFiles={(files) => void addFiles(files)}
        className="p-5"
      >
        <CloudUpload className="size-6" aria-hidden />
        <p>Drop files here, or</p>
        <FilePickerInput
          ref={inputRef}
          id="attachment-input"
          label="Add attachments"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          onFiles={(files) => void addFiles(files)}
        />
        <Button type="button" variant="outline" size="sm" onClick={() => inputRef.current?.click()}>
          <Paperclip aria-hidden /> Add attachments
        </Button>
        <p className="text-xs">
          Up to {MAX_ATTACHMENTS} files: images, documents, spreadsheets, presentations, text, calendar and
          contact files. Files up to {formatBytes(INLINE_THRESHOLD_BYTES)} are sent inline (up to{' '}
          {formatBytes(INLINE_TOTAL_BYTES)} together); larger ones (up to {formatBytes(UPLOAD_LIMIT_BYTES)})
          are uploaded to Sendmux first and sent by attachment_id.
        </p>
      </FileDropZone>

      <FileIntakeStatus refused={refused} busy={busy} busyVerb="Adding" />

      {fields.length > 0 ? (
        <ul className="grid gap-2" aria-label="Attached files">
          {fields.map((f, i) => {
            const a = attachments[i] ?? f;
            const err = formState.errors.attachments?.[i];
            const message =
              err?.message ??
              err?.filename?.message ??
              (err as { content?: { message?: string } } | undefined)?.content?.message ??
              err?.root?.message;
            const detected = sniffed[a.id];
            const mismatch =
              detected &&
              detected !== a.contentType &&
              !(detected === 'application/zip' && /officedocument|opendocument/.test(a.contentType));
            return (
              <li
                key={f.rowKey}
                id={fieldId(`attachments.${i}`)}
                tabIndex={-1}
                className={cn('grid gap-1 rounded-md border p-2.5 text-sm', message && 'border-destructive')}
              >
                <div className="flex items-center gap-2">
                  <FileText className="text-muted-foreground size-4 shrink-0" aria-hidden />
                  <span className="min-w-0 flex-1 truncate font-medium">{a.filename}</span>
                  <Badge variant="muted">{a.contentType}</Badge>
                  {a.kind === 'uploaded' ? (
                    <Badge variant="default" title={`Expires ${a.expiresAt}`}>
                      uploaded · <span className="font-mono">{a.attachmentId}</span>
                    </Badge>
                  ) : (
                    <Badge variant="outline">inline</Badge>
                  )}
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon-sm"
                    aria-label={`Remove ${a.filename}`}
                    onClick={() => {
                      remove(i);
                      void forgetAttachmentContent(userId, a.id).catch(() => undefined);
                    }}
                  >
                    <Trash2 aria-hidden />
                  </Button>
                </div>
                <p className="text-muted-foreground text-xs">
                  {formatBytes(a.size)} raw ·{' '}
                  {formatBytes(a.kind === 'inline' ? a.content.length : base64Length(a.size))} encoded
                  {detected ? ` · detected ${detected}` : ''}
                </p>
                {mismatch ? (
                  <p className="text-warning text-xs">
                    The content looks like {detected}, not {a.contentType}. Check that this is the right file.
                  </p>
                ) : null}
                {message ? <p className="text-destructive text-sm">{message}</p> : null}
              </li>
            );
          })}
        </ul>
      ) : null}

      <div className="grid gap-1.5">
        <div className="text-muted-foreground flex justify-between text-xs">
          <span>
            {fields.length} of {MAX_ATTACHMENTS} files · {formatBytes(raw)} raw · {formatBytes(encoded)}{' '}
            encoded
          </span>
          <span>
            {formatBytes(total)} of {formatBytes(MESSAGE_LIMIT_BYTES)} (
            {(share * 100).toFixed(share < 0.1 ? 1 : 0)}%)
          </span>
        </div>
        <div
          role="meter"
          aria-label="Message size against Sendmux's 25 MB limit"
          aria-valuemin={0}
          aria-valuemax={MESSAGE_LIMIT_BYTES}
          aria-valuenow={total}
          aria-valuetext={`${formatBytes(total)} of ${formatBytes(MESSAGE_LIMIT_BYTES)}`}
          className="bg-muted h-2 overflow-hidden rounded-full"
        >
          <div
            className={cn('h-full', share > 1 ? 'bg-destructive' : share > 0.8 ? 'bg-warning' : 'bg-primary')}
            style={{ width: `${Math.min(100, share * 100)}%` }}
          />
        </div>
        {listError ? <p className="text-destructive text-sm">{listError}</p> : null}
      </div>
    </fieldset>
  );
}
