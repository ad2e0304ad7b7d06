import { z } from 'zod';
import { checkAttachmentType } from '@/lib/schemas/file-types';
import {
  ACTION_PAYLOAD_LIMIT_BYTES,
  MAX_ATTACHMENTS,
  MAX_BCC,
  MAX_CC,
  MAX_CUSTOM_HEADER_CHARS,
  MAX_CUSTOM_HEADERS,
  MAX_DELIVERY_GROUPS,
  MAX_EMAIL,
  MAX_FILENAME,
  MAX_HEADER_VALUE,
  MAX_IDEMPOTENCY_KEY,
  MAX_NAME,
  MAX_RECIPIENTS,
  MAX_SUBJECT,
  MESSAGE_LIMIT_BYTES,
  UPLOAD_LIMIT_BYTES,
} from '@/lib/schemas/limits';
import { formatBytes } from '@/lib/format/display';
import { actionPayloadBytes, deliveryGroupIds, estimatedMessageBytes } from '@/lib/schemas/message-values';

// The one schema for a message, used by the compose form (zodResolver), the send action
// (safeParse), manual batches and every row of a CSV mail merge.

/** C0 control characters and DEL: never in anything that becomes a header. */
const ANY_CONTROL = /[\x00-\x1f\x7f]/;
/** The same, but HTAB, which unstructured header fields (Subject, X-* values) allow. */
const HEADER_CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
/** A MIME type (`type/subtype`, optional parameters), nothing that could end the header line. */
const MIME_TYPE =
  /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;\s*[\w!#$&^.+-]+=("[^"\x00-\x1f\x7f]*"|[\w!#$&^.+-]+))*$/;
const EMAIL_PATTERN = z.regexes.html5Email;
const HEADER_NAME = /^X-[A-Za-z0-9][A-Za-z0-9-]*$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** A delivery group's public id, as the Sending API's OpenAPI pattern has it. */
export const DELIVERY_GROUP_ID = /^dgrp_[a-z0-9][a-z0-9_-]{0,122}$/;

const noControl = (what: string) => (v: string) =>
  !HEADER_CONTROL.test(v) || { message: `${what} can't contain line breaks or other control characters` };

export const emailField = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Enter ${what}`, abort: true })
    .max(MAX_EMAIL, `Email addresses are at most ${MAX_EMAIL} characters`)
    .regex(EMAIL_PATTERN, 'Enter a valid email address, like name@example.com');

const optionalEmail = z
  .string()
  .trim()
  .max(MAX_EMAIL, `Email addresses are at most ${MAX_EMAIL} characters`)
  .refine((v) => v === '' || EMAIL_PATTERN.test(v), 'Enter a valid email address, like name@example.com');

const displayName = z
  .string()
  .max(MAX_NAME, `Names are at most ${MAX_NAME} characters`)
  .refine((v) => !ANY_CONTROL.test(v), "Names can't contain line breaks, tabs or other control characters");

export const recipientSchema = z.object({ email: emailField('an email address'), name: displayName });
export type RecipientInput = z.infer<typeof recipientSchema>;

const optionalAddress = z.object({ email: optionalEmail, name: displayName }).superRefine((v, ctx) => {
  if (v.email === '' && v.name.trim() !== '')
    ctx.addIssue({ code: 'custom', path: ['email'], message: 'Add the email address this name belongs to' });
});

export const headerSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, { message: 'Enter a header name, like X-Campaign', abort: true })
    .refine((v) => /^x-/i.test(v), {
      message: 'Custom header names must start with X- (e.g. X-Campaign)',
      abort: true,
    })
    .refine(
      (v) => !/^x-/i.test(v) || HEADER_NAME.test(v),
      'Header names use only letters, digits and hyphens',
    )
    .refine((v) => !/^x-sendmux-/i.test(v), 'X-Sendmux-* headers are reserved for Sendmux itself'),
  value: z
    .string()
    .max(MAX_HEADER_VALUE, `Header values are at most ${MAX_HEADER_VALUE} characters`)
    .refine(
      (v) => !HEADER_CONTROL.test(v),
      "Header values can't contain line breaks or other control characters",
    ),
});
export type HeaderInput = z.infer<typeof headerSchema>;

/** Empty (Sendmux picks the team's routing) or delivery group ids separated by commas or spaces. */
export const deliveryGroupSchema = z.string().check((ctx) => {
  const ids = deliveryGroupIds(ctx.value);
  const issue = (message: string) => ctx.issues.push({ code: 'custom', message, input: ctx.value });
  const bad = ids.filter((id) => !DELIVERY_GROUP_ID.test(id));
  if (bad.length)
    issue(
      `${bad.map((id) => `“${id.slice(0, 40)}”`).join(', ')} ${bad.length === 1 ? 'is not a delivery group id' : 'are not delivery group ids'}: ids look like dgrp_main (dgrp_ then lowercase letters, digits, _ or -)`,
    );
  else if (ids.length > MAX_DELIVERY_GROUPS)
    issue(`At most ${MAX_DELIVERY_GROUPS} delivery groups (this has ${ids.length})`);
  else if (new Set(ids).size !== ids.length) issue('Each delivery group once: remove the repeated id');
});

export const filenameSchema = z
  .string()
  .min(1, 'The file needs a name')
  .max(MAX_FILENAME, `File names are at most ${MAX_FILENAME} characters`)
  .refine(
    (v) => !ANY_CONTROL.test(v),
    "File names can't contain line breaks, tabs or other control characters",
  )
  .refine((v) => !/[\\/]/.test(v), 'File names can’t contain / or \\; rename the file');

/** Empty (Sendmux then derives the type from the name) or a MIME type. */
export const contentTypeSchema = z
  .string()
  .max(255, 'Content types are at most 255 characters')
  .refine((v) => v === '' || MIME_TYPE.test(v), 'Not a MIME type (like application/pdf)');

export const inlineAttachmentSchema = z.object({
  id: z.string().min(1),
  kind: z.literal('inline'),
  filename: filenameSchema,
  contentType: contentTypeSchema,
  size: z.number().int().nonnegative(),
  content: z
    .string()
    .min(1, 'This attachment is empty')
    .regex(BASE64, 'The attachment content is not valid base64'),
});

export const uploadedAttachmentSchema = z.object({
  id: z.string().min(1),
  kind: z.literal('uploaded'),
  filename: filenameSchema,
  contentType: contentTypeSchema,
  size: z.number().int().positive().max(UPLOAD_LIMIT_BYTES),
  attachmentId: z.string().regex(/^att_[a-z0-9]+$/, 'Not an attachment id (att_…)'),
  expiresAt: z.string(),
  /** The key profile it was uploaded with: attachment ids belong to one Sendmux team. */
  profile: z.string(),
});

export const attachmentSchema = z
  .discriminatedUnion('kind', [inlineAttachmentSchema, uploadedAttachmentSchema])
  .superRefine((a, ctx) => {
    const type = checkAttachmentType(a.filename);
    if (!type.ok) ctx.addIssue({ code: 'custom', path: ['filename'], message: type.reason });
  });
export type AttachmentInput = z.infer<typeof attachmentSchema>;

export const messageSchema = z
  .object({
    from: z.object({ email: emailField('the sender’s email address'), name: displayName }),
    to: z.object({ email: emailField('the recipient’s email address'), name: displayName }),
    cc: z.array(recipientSchema).max(MAX_CC, `At most ${MAX_CC} Cc recipients`),
    bcc: z.array(recipientSchema).max(MAX_BCC, `At most ${MAX_BCC} Bcc recipients`),
    replyTo: optionalAddress,
    returnPath: optionalEmail,
    subject: z
      .string()
      .min(1, 'Enter a subject')
      .max(MAX_SUBJECT, `Subjects are at most ${MAX_SUBJECT} characters`)
      .check((ctx) => {
        const bad = noControl('Subjects')(ctx.value);
        if (bad !== true) ctx.issues.push({ code: 'custom', message: bad.message, input: ctx.value });
      }),
    htmlBody: z.string().refine((v) => v.trim().length > 0, 'Write the HTML body: Sendmux requires one'),
    textBody: z.string(),
    headers: z
      .array(headerSchema)
      .max(MAX_CUSTOM_HEADERS, `At most ${MAX_CUSTOM_HEADERS} custom headers`)
      .refine(
        (hs) => hs.reduce((n, h) => n + h.name.length + h.value.length, 0) <= MAX_CUSTOM_HEADER_CHARS,
        `Custom headers are at most ${MAX_CUSTOM_HEADER_CHARS.toLocaleString('en-US')} characters in all`,
      ),
    attachments: z.array(attachmentSchema).max(MAX_ATTACHMENTS, `At most ${MAX_ATTACHMENTS} attachments`),
    deliveryGroup: deliveryGroupSchema,
  })
  .superRefine((m, ctx) => {
    const total = 1 + m.cc.length + m.bcc.length;
    if (total > MAX_RECIPIENTS) {
      ctx.addIssue({
        code: 'custom',
        path: [m.bcc.length > 0 ? 'bcc' : 'cc'],
        message: `At most ${MAX_RECIPIENTS} recipients across To, Cc and Bcc (this message has ${total})`,
      });
    }
    const seen = new Map<string, number>();
    m.headers.forEach((h, i) => {
      const key = h.name.trim().toLowerCase();
      if (!key) return;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['headers', i, 'name'],
          message: `${h.name.trim()} is already set above`,
        });
      else seen.set(key, i);
    });
    const size = estimatedMessageBytes(m);
    if (size > MESSAGE_LIMIT_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['attachments'],
        message: `The message would be about ${formatBytes(size)}; Sendmux accepts at most ${formatBytes(MESSAGE_LIMIT_BYTES)}. Remove or shrink attachments`,
      });
    }
  });
export type MessageInput = z.infer<typeof messageSchema>;

export const idempotencyKeySchema = z
  .string()
  .min(1, 'An idempotency key is needed')
  .max(MAX_IDEMPOTENCY_KEY, `Idempotency keys are at most ${MAX_IDEMPOTENCY_KEY} characters`)
  .regex(/^[\x21-\x7e]+$/, 'Idempotency keys use printable ASCII without spaces');

export const sendEmailInputSchema = z
  .object({
    profile: z.string().min(1, 'Choose a key profile'),
    idempotencyKey: idempotencyKeySchema,
    message: messageSchema,
  })
  .superRefine((v, ctx) => {
    if (actionPayloadBytes(v.message) > ACTION_PAYLOAD_LIMIT_BYTES)
      ctx.addIssue({
        code: 'custom',
        path: ['message', 'attachments'],
        message:
          'This message is over the 1 MB a browser may send in one go: remove an inline attachment (attach it again and it is uploaded apart) or shorten the HTML or text body',
      });
    v.message.attachments.forEach((a, i) => {
      if (a.kind === 'uploaded' && a.profile !== v.profile)
        ctx.addIssue({
          code: 'custom',
          path: ['message', 'attachments', i],
          message: `${a.filename} was uploaded with the “${a.profile}” key; attach it again for “${v.profile}”`,
        });
    });
  });
export type SendEmailInput = z.infer<typeof sendEmailInputSchema>;
