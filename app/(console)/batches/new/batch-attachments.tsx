'use client';

import { FileText, Paperclip, Trash2 } from 'lucide-react';
import { useRef, useState } from 'react';
import { FileIntakeStatus } from '@/components/file-intake-status';
import { FilePickerInput } from '@/components/file-picker';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { admitAttachments, uploadFailureReason, type RefusedFile } from '@/lib/compose/file-admission';
import { uploadAttachment } from '@/lib/compose/upload';
import { formatBytes } from '@/lib/format/display';
import { randomId } from '@/lib/ids';
import type { BatchAttachment, BatchSpec } from '@/lib/mail-merge/mapping';
import { ACCEPT_ATTRIBUTE } from '@/lib/schemas/file-types';
import { MAX_ATTACHMENTS, UPLOAD_LIMIT_BYTES } from '@/lib/schemas/limits';
import type { UpdateSpec } from './wizard-types';

/** Files attached to every message: uploaded to Sendmux once, each message refers to it by id. */
export function BatchAttachments({
  spec,
  updateSpec,
  profile,
}: {
  spec: BatchSpec;
  updateSpec: UpdateSpec;
  profile: string;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string[]>([]);
  const [refused, setRefused] = useState<RefusedFile[]>([]);

  async function addFiles(files: File[]) {
    const { accepted, refused: refusals } = admitAttachments(
      files,
      MAX_ATTACHMENTS - spec.attachments.length - busy.length,
    );
    setRefused(refusals);
    for (const { file } of accepted) {
      setBusy((b) => [...b, file.name]);
      try {
        const result = await uploadAttachment({
          profile,
          idempotencyKey: `batch-upload-${randomId(20)}`,
          file,
        });
        if (!result.ok) {
          setRefused((r) => [...r, { name: file.name, reason: uploadFailureReason(result.error) }]);
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
        updateSpec((s) => ({ ...s, attachments: [...s.attachments, attachment] }));
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
        <FilePickerInput
          ref={inputRef}
          id="batch-attachment-input"
          label="Add attachments for every message"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          onFiles={(files) => void addFiles(files)}
        />
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
                    updateSpec((s) => ({ ...s, attachments: s.attachments.filter((_, j) => j !== i) }))
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
