import { z } from 'zod';
import { deliveryOutcomeSchema } from '@/lib/schemas/delivery';
import { checkManualMessages } from '@/lib/mail-merge/manual-input';
import { batchSpecSchema } from '@/lib/schemas/batch-spec';
import {
  CSV_DELIMITERS,
  CSV_ENCODINGS,
  MAX_JOB_NAME,
  MAX_JOB_ROWS,
  ROW_STATUSES,
} from '@/lib/schemas/batch-values';
import { ACTION_PAYLOAD_LIMIT_BYTES, MAX_BATCH, utf8Length } from '@/lib/schemas/limits';
import { idempotencyKeySchema } from '@/lib/schemas/message';

// Inputs of the batch pages: starting a job, the manual batch, job controls and the results
// table's URL state. The batch spec's own schema is lib/schemas/batch-spec.ts.

export const jobIdSchema = z.string().regex(/^[a-z0-9]{1,40}$/, 'Not a batch job id');

/**
 * What POST /api/batches reads before the file: the first line of its body, as JSON (the CSV
 * follows it as a stream; its size is checked as it arrives).
 */
export const startBatchRequestSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the job')
    .max(MAX_JOB_NAME, `Job names are at most ${MAX_JOB_NAME} characters`),
  profile: z.string().min(1, 'Choose a key profile'),
  delimiter: z.enum(CSV_DELIMITERS, 'Choose a delimiter'),
  /** How the browser read the file: the server reads it the same way. */
  encoding: z.enum(CSV_ENCODINGS).default('utf-8'),
  /**
   * Made once per "Send now" and sent inside the body: the same upload sent again (a browser
   * resends a POST whose reused connection broke; a proxy may retry) starts no second job.
   */
  uploadId: z
    .string()
    .regex(/^[a-z0-9]{16,64}$/, 'uploadId is 16 to 64 lowercase letters and digits')
    .optional(),
  spec: batchSpecSchema.extend({
    excludedLines: z
      .array(z.number().int().positive())
      .max(MAX_JOB_ROWS, `At most ${MAX_JOB_ROWS.toLocaleString('en-US')} lines can be excluded`),
  }),
});
export type StartBatchRequest = z.infer<typeof startBatchRequestSchema>;

/** Each message is checked with Compose's rules; problems come back as `messages.<i>.<field>` errors. */
export const manualBatchInputSchema = z.object({
  profile: z.string().min(1, 'Choose a key profile'),
  idempotencyKey: idempotencyKeySchema,
  messages: z
    .array(z.unknown())
    .min(1, 'Add at least one message')
    .max(MAX_BATCH, `A manual batch holds at most ${MAX_BATCH} messages; use a CSV mail merge for more`)
    .refine((values) => utf8Length(JSON.stringify(values)) <= ACTION_PAYLOAD_LIMIT_BYTES, {
      message:
        'These messages are over the 1 MB the browser may send in one go; send them as a CSV mail merge',
    })
    .transform((values, ctx) => {
      const checked = checkManualMessages(values);
      if (checked.ok) return checked.messages;
      for (const p of checked.problems)
        ctx.addIssue({
          code: 'custom',
          path: [...(p.index === null ? [] : [p.index]), ...(p.field ? p.field.split('.') : [])],
          message: p.message,
        });
      return z.NEVER;
    }),
});

export const jobControlSchema = z.object({ jobId: jobIdSchema });

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** The results table's filters as they live in the URL (?status=failed&code=…&q=…); bad values are dropped. */
export const jobRowsSearchSchema = z.object({
  status: z.preprocess(first, z.enum(ROW_STATUSES).optional().catch(undefined)),
  delivery: z.preprocess(first, deliveryOutcomeSchema.optional().catch(undefined)),
  code: z.preprocess(
    first,
    z
      .string()
      .trim()
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/)
      .optional()
      .catch(undefined),
  ),
  q: z.preprocess(
    first,
    z
      .string()
      .trim()
      .max(254)
      .transform((v) => (v === '' ? undefined : v))
      .optional()
      .catch(undefined),
  ),
});
export type JobRowsSearch = z.infer<typeof jobRowsSearchSchema>;

export const jobRowsPageSchema = jobRowsSearchSchema.extend({
  cursor: z.preprocess(first, z.coerce.number().int().nonnegative().optional().catch(undefined)),
  limit: z.preprocess(first, z.coerce.number().int().min(1).max(1000).optional().catch(undefined)),
});
