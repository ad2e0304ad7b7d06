import type { SnippetInput } from '@/lib/compose/snippets';
import { curlSmtpCommand } from '@/lib/format/smtp-snippets';
import type { RequestDetail } from '@/lib/requests/search';

// Readers of a logged request's body for the detail page: the SMTP test as curl, the HTTP snippet.

export type Json = Record<string, unknown>;
export const str = (v: unknown) => (typeof v === 'string' ? v : '');
const addressOf = (v: unknown) => str((v as Json | null)?.email);

/** The logged SMTP test as a curl command; the sandbox CA when the test went to this console's listener. */
export function smtpCurl(body: unknown, sandboxCaFile: string | undefined): string {
  const b = (body ?? {}) as Json;
  return curlSmtpCommand({
    server: str(b.server) || 'smtp://smtp.sendmux.ai:587',
    username: str(b.username) || 'sendmux',
    from: addressOf(b.from),
    to: addressOf(b.to),
    subject: str(b.subject),
    text: str(b.text_body) || undefined,
    html: str(b.html_body) || undefined,
    caFile: sandboxCaFile,
  });
}

export function snippetFor(row: RequestDetail, apiUrl: string, body: unknown): SnippetInput {
  const base = { apiUrl, path: row.path, method: row.method, idempotencyKey: row.idempotencyKey };
  const upload = body as { filename?: unknown; content_type?: unknown } | null;
  if (row.path === '/emails/attachments' && upload && typeof upload.filename === 'string') {
    const contentType = typeof upload.content_type === 'string' ? upload.content_type : undefined;
    return {
      ...base,
      query: { filename: upload.filename, content_type: contentType },
      file: { name: upload.filename, contentType: 'application/octet-stream' },
    };
  }
  return { ...base, body };
}
