import { z } from 'zod';
import { MESSAGE_LIMIT_BYTES } from '@/lib/schemas/limits';
import { filenameSchema, idempotencyKeySchema } from '@/lib/schemas/message';

// Inputs of the Compose page's smaller actions (the send itself uses sendEmailInputSchema).

export const profileInputSchema = z.object({ profile: z.string().min(1, 'Choose a key profile') });

/** POST /api/attachments?profile=&idempotencyKey=&filename= with the file's bytes as the body. */
export const uploadAttachmentQuerySchema = z.object({
  profile: z.string().min(1, 'Choose a key profile'),
  idempotencyKey: idempotencyKeySchema,
  filename: filenameSchema,
});

export const htmlToTextInputSchema = z.object({ html: z.string().max(MESSAGE_LIMIT_BYTES) });
