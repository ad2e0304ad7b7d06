import { createStore, del, get, set } from 'idb-keyval';
import type { AttachmentInput, MessageInput } from '@/lib/schemas/message';
import { emptyMessage } from '@/lib/schemas/message-values';

// Browser-only persistence of the compose draft, so nothing typed or attached is lost to a
// reload, a failed send or a sign-out/sign-in in the same browser. The form lives in
// localStorage; attachment content (possibly megabytes) lives in IndexedDB.

export type DraftAttachment = AttachmentInput & { needsReattach?: boolean };
export type Draft = {
  version: 1;
  profile: string;
  idempotencyKey: string;
  message: MessageInput;
  savedAt: string;
  /** The last message Sendmux accepted from this draft: its key and a digest of what was sent. */
  sent?: SentUnderKey | null;
};

/** `digest` is messageDigest() of the profile and message that were sent. */
export type SentUnderKey = { key: string; messageId: string; digest: string };

const draftKey = (userId: string) => `sendmux-console:draft:${userId}`;
const fileKey = (userId: string, attachmentId: string) => `${userId}:${attachmentId}`;
// The database and store names drafts have used from the start, so saved attachments still load.
const files = createStore('sendmux-console', 'draft-attachments');

/** Keeps an attachment's bytes (inline base64, or the original file for uploads) for restoring. */
export async function storeAttachmentContent(
  userId: string,
  attachmentId: string,
  content: string | Blob,
): Promise<void> {
  await set(fileKey(userId, attachmentId), content, files);
}

export async function loadAttachmentContent(
  userId: string,
  attachmentId: string,
): Promise<string | Blob | undefined> {
  return get<string | Blob>(fileKey(userId, attachmentId), files);
}

export async function forgetAttachmentContent(userId: string, attachmentId: string): Promise<void> {
  await del(fileKey(userId, attachmentId), files);
}

/** Saves the draft without inline attachment content (that is in IndexedDB already). */
export function saveDraft(userId: string, draft: Omit<Draft, 'version' | 'savedAt'>): void {
  const light: Draft = {
    version: 1,
    savedAt: new Date().toISOString(),
    ...draft,
    message: {
      ...draft.message,
      attachments: draft.message.attachments.map((a) => (a.kind === 'inline' ? { ...a, content: '' } : a)),
    },
  };
  try {
    localStorage.setItem(draftKey(userId), JSON.stringify(light));
  } catch {
    // Storage full or blocked: the form still works, it just won't survive a reload.
  }
}

export function clearDraft(userId: string): void {
  localStorage.removeItem(draftKey(userId));
}

/** The saved draft with inline attachment content restored; ones that could not be are flagged. */
export async function loadDraft(userId: string): Promise<{ draft: Draft; missing: string[] } | null> {
  let draft: Draft;
  try {
    const raw = localStorage.getItem(draftKey(userId));
    if (!raw) return null;
    draft = JSON.parse(raw) as Draft;
    if (draft.version !== 1 || !draft.message) return null;
  } catch {
    return null;
  }
  const missing: string[] = [];
  const attachments: AttachmentInput[] = [];
  for (const a of draft.message.attachments) {
    if (a.kind === 'uploaded') {
      attachments.push(a);
      continue;
    }
    const content = await loadAttachmentContent(userId, a.id).catch(() => undefined);
    if (typeof content === 'string' && content.length > 0) attachments.push({ ...a, content });
    else missing.push(a.filename);
  }
  // A draft saved before a field existed gets that field's empty value.
  return { draft: { ...draft, message: { ...emptyMessage(), ...draft.message, attachments } }, missing };
}
