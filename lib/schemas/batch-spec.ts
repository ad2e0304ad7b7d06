import { z } from 'zod';
import { MAPPED_FIELDS, type MappedField } from '@/lib/mail-merge/mapping';
import { uploadedAttachmentSchema } from '@/lib/schemas/message';

// The batch spec (lib/mail-merge/mapping.ts) as the start action receives it: every mapped field a
// column or a fixed value, headers, templates, attachments uploaded once, excluded lines.

export const fieldSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column'), column: z.string().min(1, 'Choose a column') }),
  z.object({ kind: z.literal('fixed'), value: z.string() }),
]);
export type FieldSource = z.infer<typeof fieldSourceSchema>;

const fieldsSchema = z.object(
  Object.fromEntries(MAPPED_FIELDS.map((f) => [f, fieldSourceSchema.optional()])) as Record<
    MappedField,
    z.ZodOptional<typeof fieldSourceSchema>
  >,
);
export type FieldMapping = z.infer<typeof fieldsSchema>;

export const headerMappingSchema = z.object({ name: z.string(), source: fieldSourceSchema });
export type HeaderMapping = z.infer<typeof headerMappingSchema>;

/** An uploaded file attached to every message of the batch (sent as an attachment_id ref). */
export const batchAttachmentSchema = uploadedAttachmentSchema.omit({ id: true, kind: true });
export type BatchAttachment = z.infer<typeof batchAttachmentSchema>;

export const batchSpecSchema = z.object({
  fields: fieldsSchema,
  headers: z.array(headerMappingSchema).max(50),
  subject: z.string(),
  htmlBody: z.string(),
  textBody: z.string(),
  attachments: z.array(batchAttachmentSchema).max(10),
  /** CSV line numbers the user chose not to send. */
  excludedLines: z.array(z.number().int().positive()),
});
export type BatchSpec = z.infer<typeof batchSpecSchema>;
