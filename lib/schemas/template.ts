import { z } from 'zod';
import { ACTION_PAYLOAD_LIMIT_BYTES, utf8Length } from '@/lib/schemas/limits';
import { headerSchema, recipientSchema } from '@/lib/schemas/message';

// Templates keep everything of a message except attachments (files are not shared through templates).
const looseAddress = z.object({ email: z.string().max(254), name: z.string().max(100) });

export const templateMessageSchema = z.object({
  from: looseAddress,
  to: looseAddress,
  cc: z.array(recipientSchema.partial().required({ email: true })).max(49),
  bcc: z.array(recipientSchema.partial().required({ email: true })).max(49),
  replyTo: looseAddress,
  returnPath: z.string().max(254),
  subject: z.string().max(998),
  htmlBody: z.string(),
  textBody: z.string(),
  headers: z.array(headerSchema.partial().required({ name: true })),
});
export type TemplateMessage = z.infer<typeof templateMessageSchema>;

export const saveTemplateSchema = z.object({
  name: z.string().trim().min(1, 'Name the template').max(100, 'Template names are at most 100 characters'),
  overwrite: z.boolean(),
  message: templateMessageSchema.refine(
    (m) => utf8Length(JSON.stringify(m)) <= ACTION_PAYLOAD_LIMIT_BYTES,
    'This template is over the 1 MB the browser may save in one go; shorten the HTML or text body',
  ),
});

export const deleteTemplateSchema = z.object({ id: z.string().min(1) });
