import { z } from 'zod';
import { checkAttachmentType } from '@/lib/schemas/file-types';
import { formDataInput } from '@/lib/schemas/form-data';
import { MAX_SUBJECT } from '@/lib/schemas/limits';
import { emailField, recipientSchema } from '@/lib/schemas/message';
import {
  SMTP_AUTH_METHODS,
  SMTP_TEST_ATTACHMENT_BYTES,
  SMTP_TEST_BODY_CHARS,
} from '@/lib/schemas/smtp-values';

// Settings → SMTP: the test send. The form validates the fields; the action also takes the file.

export {
  DEFAULT_SMTP_USERNAME,
  SMTP_AUTH_METHODS,
  SMTP_TEST_ATTACHMENT_BYTES,
  SMTP_TEST_BODY_CHARS,
  type SmtpAuthMethodInput,
} from '@/lib/schemas/smtp-values';

const fields = z.object({
  profile: z.string().min(1, 'Choose a key profile'),
  authMethod: z.enum(SMTP_AUTH_METHODS, { error: 'Choose AUTH PLAIN or LOGIN' }),
  fromEmail: emailField('the sender’s email address'),
  fromName: recipientSchema.shape.name,
  toEmail: emailField('the recipient’s email address'),
  subject: z
    .string()
    .min(1, 'Enter a subject')
    .max(MAX_SUBJECT, `Subjects are at most ${MAX_SUBJECT} characters`)
    .refine((v) => !/[\r\n\0]/.test(v), "Subjects can't contain line breaks"),
  text: z.string().max(SMTP_TEST_BODY_CHARS, 'The text body is too long for a test'),
  html: z.string().max(SMTP_TEST_BODY_CHARS, 'The HTML body is too long for a test'),
});

const needsBody = (v: { text: string; html: string }) => v.text.trim() !== '' || v.html.trim() !== '';
const bodyRule = { path: ['text'], message: 'Write a text body, an HTML body, or both' };

export const smtpTestFormSchema = fields.refine(needsBody, bodyRule);
export type SmtpTestFormInput = z.input<typeof smtpTestFormSchema>;

export const smtpAttachmentSchema = z
  .instanceof(File, { message: 'Choose a file' })
  .refine((f) => f.size > 0, 'The file is empty')
  .refine(
    (f) => f.size <= SMTP_TEST_ATTACHMENT_BYTES,
    'A test attachment is at most 256 KB: the test checks the SMTP conversation, not large files',
  )
  .superRefine((f, ctx) => {
    const type = checkAttachmentType(f.name);
    if (!type.ok) ctx.addIssue({ code: 'custom', message: type.reason });
  });

/** What the action receives: the form's fields as FormData, and the file when one was chosen. */
export const smtpTestInputSchema = formDataInput(
  fields.extend({ attachment: smtpAttachmentSchema.optional() }).refine(needsBody, bodyRule),
);
