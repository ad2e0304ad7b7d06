import 'server-only';
import { eq, inArray, sql } from 'drizzle-orm';
import { sandboxAttachments } from '@/lib/db/schema';
import type { Executor } from '@/lib/sandbox/store';

export type AttachmentMeta = {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  createdAt: Date;
  expiresAt: Date;
};

/** What the API answers for an uploaded attachment (AttachmentUploadData). */
export type AttachmentData = {
  attachment_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  expires_at: string;
};

const metaColumns = {
  id: sandboxAttachments.id,
  filename: sandboxAttachments.filename,
  contentType: sandboxAttachments.contentType,
  sizeBytes: sandboxAttachments.sizeBytes,
  createdAt: sandboxAttachments.createdAt,
  expiresAt: sandboxAttachments.expiresAt,
};

export function attachmentData(meta: AttachmentMeta): AttachmentData {
  return {
    attachment_id: meta.id,
    filename: meta.filename,
    content_type: meta.contentType,
    size_bytes: meta.sizeBytes,
    expires_at: meta.expiresAt.toISOString(),
  };
}

export const isExpired = (meta: AttachmentMeta, now = Date.now()) => meta.expiresAt.getTime() <= now;

// Bytes travel as base64 text decoded by PostgreSQL: PGlite's own bytea parameter path is ~10x slower.
export async function insertAttachment(db: Executor, meta: AttachmentMeta, bytes: Uint8Array): Promise<void> {
  const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  await db.insert(sandboxAttachments).values({ ...meta, content: sql`decode(${base64}, 'base64')` });
}

/** Metadata (never content) for the given ids, in one query. */
export async function findAttachments(db: Executor, ids: string[]): Promise<Map<string, AttachmentMeta>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select(metaColumns)
    .from(sandboxAttachments)
    .where(inArray(sandboxAttachments.id, ids));
  return new Map(rows.map((row) => [row.id, row]));
}

export async function getAttachmentMeta(db: Executor, id: string): Promise<AttachmentMeta | undefined> {
  const [row] = await db.select(metaColumns).from(sandboxAttachments).where(eq(sandboxAttachments.id, id));
  return row;
}

export async function getAttachmentBytes(db: Executor, id: string): Promise<Uint8Array | undefined> {
  const [row] = await db
    .select({ base64: sql<string>`encode(${sandboxAttachments.content}, 'base64')` })
    .from(sandboxAttachments)
    .where(eq(sandboxAttachments.id, id));
  return row ? Buffer.from(row.base64, 'base64') : undefined;
}
