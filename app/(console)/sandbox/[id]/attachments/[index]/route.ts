import { z } from 'zod';
import { seesContent } from '@/lib/auth/privacy';
import { requireRole } from '@/lib/auth/require-role';
import { getEnv } from '@/lib/env';
import { getOutboxAttachmentContent } from '@/lib/sandbox/outbox';
import { attachmentDisposition } from '../../../outbox-display';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({
  id: z.string().min(1).max(100),
  index: z.coerce.number().int().min(0).max(99),
});

const notFound = () =>
  new Response('No such attachment in the sandbox outbox.', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });

export async function GET(_request: Request, { params }: { params: Promise<{ id: string; index: string }> }) {
  const user = await requireRole('support');
  if (!getEnv().sandboxServed) return notFound();
  if (!seesContent(user.role))
    return new Response('Attachments are hidden from support on this console (SUPPORT_SEES_BODIES=false).', {
      status: 403,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) return notFound();
  const file = await getOutboxAttachmentContent(parsed.data.id, parsed.data.index);
  if (!file) return notFound();
  // Received bytes are untrusted: octet-stream + nosniff + attachment means the browser saves them and never renders them on this origin.
  return new Response(Buffer.from(file.bytes), {
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': attachmentDisposition(file.filename),
      'Content-Length': String(file.bytes.byteLength),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
    },
  });
}
