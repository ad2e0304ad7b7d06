import 'server-only';
import { findAttachments, isExpired, type AttachmentMeta } from '@/lib/sandbox/attachments';
import { ERROR_CATALOG, type ErrorCode } from '@/lib/sandbox/catalog';
import {
  droppedConnection,
  failure,
  sandboxError,
  success,
  validationFailure,
  type ErrorDetail,
  type Issue,
  type Outcome,
} from '@/lib/sandbox/envelope';
import { countAttempt } from '@/lib/sandbox/faults';
import { readBody, readIdempotencyKey, sleep, tooLarge, type RequestContext } from '@/lib/sandbox/http';
import { guardRequest, hashJson } from '@/lib/sandbox/idempotency';
import { newMessageId } from '@/lib/sandbox/ids';
import { IDEMPOTENCY_LEASE_MS, LIMITS } from '@/lib/sandbox/limits';
import { insertOutboxMessages, type OutboxInsert } from '@/lib/sandbox/outbox';
import { scenariosOf, type MessageScenarios } from '@/lib/sandbox/scenarios';
import { sandboxDb, type Db } from '@/lib/sandbox/store';
import { wakeWebhookDispatcher } from '@/lib/sandbox/webhooks';
import {
  base64Size,
  isObject,
  underMessage,
  unstorableTextPath,
  validateBatch,
  validateMessage,
  type MessageCheck,
  type SandboxMessage,
} from '@/lib/sandbox/validate';

type Mode = 'single' | 'batch';
const ENDPOINT = { single: '/emails/send', batch: '/emails/send/batch' } as const;

type Item =
  { ok: true; message: SandboxMessage; scenarios: MessageScenarios } | { ok: false; error: ErrorDetail };
type Result =
  { kind: 'queued'; messageId: string; message: SandboxMessage } | { kind: 'failed'; error: ErrorDetail };
type Effects = Pick<MessageScenarios, 'flaky' | 'slowMs' | 'drop'>;

/** POST /emails/send and POST /emails/send/batch. */
export async function handleSend(ctx: RequestContext, mode: Mode): Promise<Outcome | Response> {
  const endpoint = ENDPOINT[mode];
  const idempotency = readIdempotencyKey(ctx);
  if ('outcome' in idempotency) return idempotency.outcome;
  const key = idempotency.key;
  const raw = await readBody(ctx.request, LIMITS.requestBytes);
  if (raw === 'too_large') return tooLarge(ctx, 'The request body', LIMITS.requestBytes);
  const parsed = parseJsonObject(ctx, raw);
  if ('outcome' in parsed) return parsed.outcome;
  const body = parsed.value;

  const checked = mode === 'single' ? { issues: [], messages: [validateMessage(body)] } : validateBatch(body);
  const items = checked.messages.map(withScenarios);
  const effects: Effects = checked.issues.length > 0 ? { slowMs: 0 } : combineEffects(items);
  const bodyHash = hashJson(body);

  const db = await sandboxDb();
  const guard = await guardRequest(db, {
    id: { scope: ctx.scope, endpoint },
    key,
    bodyHash,
    leaseMs: IDEMPOTENCY_LEASE_MS + effects.slowMs,
    requestId: ctx.requestId,
  });
  if (guard.answer) return guard.answer;
  try {
    const attempts = `${ctx.scope}|${endpoint}|${key === undefined ? `body:${bodyHash}` : `key:${key}`}`;
    if (effects.drop === 'always') {
      await guard.abandon();
      return droppedConnection();
    }
    if (effects.flaky && countAttempt(`${attempts}|flaky`) <= effects.flaky.times) {
      return await guard.finish(failure(ctx.requestId, scenarioError(effects.flaky)), { store: false });
    }
    const dropAnswer = effects.drop === 'once' && countAttempt(`${attempts}|drop`) === 1;
    if (effects.slowMs > 0) await sleep(effects.slowMs);

    if (checked.issues.length > 0) {
      const all = [
        ...checked.issues,
        ...items.flatMap((item, i) => (item.ok ? [] : underMessage(i, item.error.errors ?? []))),
      ];
      return await guard.finish(validationFailure(ctx.requestId, all));
    }
    const results = await resolve(db, items);
    const rows = results.flatMap((r, i) => (r.kind === 'queued' ? [outboxRow(ctx, mode, key, r, i)] : []));
    const outcome = mode === 'single' ? singleOutcome(ctx, results[0]) : batchOutcome(ctx, results);
    const answer = await guard.finish(outcome, {
      write: rows.length > 0 ? (tx) => insertOutboxMessages(tx, rows) : undefined,
    });
    if (rows.length > 0) wakeWebhookDispatcher();
    return dropAnswer ? droppedConnection() : answer;
  } catch (err) {
    await guard.abandon().catch(() => {});
    throw err;
  }
}

function parseJsonObject(
  ctx: RequestContext,
  raw: Uint8Array,
): { value: Record<string, unknown> } | { outcome: Outcome } {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      outcome: failure(
        ctx.requestId,
        sandboxError('invalid_parameter', `The request body is not valid JSON: ${reason}`, { param: 'body' }),
      ),
    };
  }
  if (!isObject(value))
    return {
      outcome: failure(
        ctx.requestId,
        sandboxError('invalid_parameter', 'The request body must be a JSON object', { param: 'body' }),
      ),
    };
  const badText = unstorableTextPath(value);
  if (badText !== undefined) {
    const message = `${badText} contains a NUL character (\\u0000) or an unpaired surrogate, which an email cannot carry`;
    return {
      outcome: failure(ctx.requestId, sandboxError('invalid_parameter', message, { param: badText })),
    };
  }
  return { value };
}

const validationError = (issues: Issue[]) =>
  sandboxError(
    'validation_error',
    `The message failed validation (${issues.length} problem${issues.length === 1 ? '' : 's'}); see errors.`,
    {
      errors: issues,
    },
  );

function withScenarios(check: MessageCheck): Item {
  if (!check.ok) return { ok: false, error: validationError(check.issues) };
  const scenarios = scenariosOf(check.message);
  if (scenarios.problems.length > 0) return { ok: false, error: validationError(scenarios.problems) };
  return { ok: true, message: check.message, scenarios };
}

/** Whole-request scenarios: the longest delay, any drop, the first flaky address. */
function combineEffects(items: Item[]): Effects {
  const effects: Effects = { slowMs: 0 };
  for (const item of items) {
    if (!item.ok) continue;
    const s = item.scenarios;
    effects.slowMs = Math.max(effects.slowMs, s.slowMs);
    effects.flaky ??= s.flaky;
    if (s.drop === 'always' || (s.drop === 'once' && effects.drop === undefined)) effects.drop = s.drop;
  }
  return effects;
}

export function scenarioError(s: { code: ErrorCode; field: string; address: string }): ErrorDetail {
  if (s.code === 'validation_error') {
    return validationError([
      {
        field: s.field,
        code: 'rejected',
        message: `The address ${s.address} was rejected (sandbox scenario)`,
      },
    ]);
  }
  const message = `${ERROR_CATALOG[s.code].message} (sandbox scenario ${s.address})`;
  const param = s.code === 'invalid_parameter' || s.code === 'missing_parameter' ? s.field : undefined;
  return sandboxError(s.code, message, { param });
}

/** Per message: validation and fail+ scenarios first, then the referenced uploads (one query for all). */
async function resolve(db: Db, items: Item[]): Promise<Result[]> {
  const ids = new Set<string>();
  for (const item of items) {
    if (!item.ok) continue;
    for (const a of item.message.attachments ?? []) if ('attachment_id' in a) ids.add(a.attachment_id);
  }
  const stored = await findAttachments(db, [...ids]);
  const now = Date.now();
  return items.map((item): Result => {
    if (!item.ok) return { kind: 'failed', error: item.error };
    if (item.scenarios.fail) return { kind: 'failed', error: scenarioError(item.scenarios.fail) };
    const problem = attachmentProblem(item.message, stored, now);
    if (problem) return { kind: 'failed', error: problem };
    return { kind: 'queued', messageId: newMessageId(), message: item.message };
  });
}

function attachmentProblem(
  message: SandboxMessage,
  stored: Map<string, AttachmentMeta>,
  now: number,
): ErrorDetail | undefined {
  let size = Buffer.byteLength(message.html_body) + Buffer.byteLength(message.text_body ?? '');
  for (const [i, a] of (message.attachments ?? []).entries()) {
    if (!('attachment_id' in a)) {
      size += base64Size(a.content);
      continue;
    }
    const meta = stored.get(a.attachment_id);
    if (!meta || isExpired(meta, now)) {
      return sandboxError(
        'not_found',
        `Attachment ${a.attachment_id} does not exist or has expired; upload the file again`,
        {
          param: `attachments.${i}.attachment_id`,
        },
      );
    }
    size += meta.sizeBytes;
  }
  if (size > LIMITS.messageBytes)
    return sandboxError(
      'payload_too_large',
      `The final message would be ${size} bytes; the limit is ${LIMITS.messageBytes} bytes (25 MiB)`,
    );
  return undefined;
}

function outboxRow(
  ctx: RequestContext,
  mode: Mode,
  key: string | undefined,
  result: Extract<Result, { kind: 'queued' }>,
  index: number,
): OutboxInsert {
  const m = result.message;
  return {
    id: result.messageId,
    requestId: ctx.requestId,
    idempotencyKey: key ?? null,
    endpoint: ENDPOINT[mode],
    batchIndex: mode === 'batch' ? index : null,
    fromEmail: m.from.email,
    toEmail: m.to.email,
    subject: m.subject,
    message: m as unknown as Record<string, unknown>,
  };
}

function singleOutcome(ctx: RequestContext, result: Result | undefined): Outcome {
  if (!result) throw new Error('a single send has exactly one message');
  if (result.kind === 'failed') return failure(ctx.requestId, result.error);
  return success(ctx.requestId, { message_id: result.messageId, status: 'queued' });
}

/** 200 with per-message results, unless every message failed for one reason (or all transiently). */
function batchOutcome(ctx: RequestContext, results: Result[]): Outcome {
  const failed = results.flatMap((r, index) => (r.kind === 'failed' ? [{ index, error: r.error }] : []));
  const total = results.length;
  const first = failed[0];
  if (first && failed.length === total) {
    const codes = new Set(failed.map((f) => f.error.code));
    if (codes.size === 1 && first.error.code === 'validation_error') {
      const issues = failed.flatMap((f) => underMessage(f.index, f.error.errors ?? []));
      return validationFailure(ctx.requestId, issues, `All ${total} messages failed validation; see errors.`);
    }
    if (codes.size === 1) {
      const param =
        first.error.param === undefined ? undefined : `messages.${first.index}.${first.error.param}`;
      return failure(
        ctx.requestId,
        sandboxError(first.error.code, `All ${total} messages failed: ${first.error.message}`, {
          param,
          retryable: first.error.retryable,
        }),
      );
    }
    if (failed.every((f) => f.error.retryable)) {
      return failure(
        ctx.requestId,
        sandboxError(
          'service_unavailable',
          `All ${total} messages failed with transient errors; retry later`,
        ),
      );
    }
  }
  return success(ctx.requestId, {
    results: results.map((r, index) =>
      r.kind === 'queued'
        ? { index, message_id: r.messageId, status: 'queued' as const }
        : { index, message_id: null, status: 'failed' as const, error: r.error },
    ),
    summary: { total, queued: total - failed.length, failed: failed.length },
  });
}
