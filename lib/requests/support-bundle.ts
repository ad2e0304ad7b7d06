import 'server-only';
import { maskKey } from '@/lib/env';
import { explainError } from '@/lib/errors/catalog';
import {
  attemptLine,
  batchMessages,
  BATCH_PATH,
  endpointLabel,
  prettyBody,
  responseError,
} from '@/lib/format/request-log';
import { transcriptOf, transcriptText } from '@/lib/format/smtp-transcript';
import { redactRequestBody } from '@/lib/requests/redact';
import type { AttemptSummary, RequestDetail } from '@/lib/requests/search';
import { formatDuration, isoMillis } from '@/lib/format/display';

// A plain-text account of one request that is safe to paste into a ticket. It is built from the
// stored row, which is already redacted; the scrubs below are a second line of defence.

const KEY_PATTERN = /smx_(?:mbx|agent|root)_[A-Za-z0-9_]+/g;
const BEARER_PATTERN = /(Bearer\s+)(?!\$)[A-Za-z0-9._~+/=-]{8,}/gi;

/** Masks anything that looks like a Sendmux key or a bearer token. */
export function scrubSecrets(text: string): string {
  return text.replace(KEY_PATTERN, (key) => maskKey(key)).replace(BEARER_PATTERN, '$1[redacted]');
}

/** The stored request body, scrubbed and with any attachment content that slipped through reduced to name + size. */
export function safeRequestBody(path: string, body: unknown): unknown {
  const redacted = redactRequestBody(path, body);
  return redacted === null || redacted === undefined
    ? redacted
    : JSON.parse(scrubSecrets(JSON.stringify(redacted)));
}

export function safeResponseBody(body: unknown): unknown {
  if (body === null || body === undefined) return body;
  return JSON.parse(scrubSecrets(JSON.stringify(body)));
}

const label = (name: string) => `${name}:`.padEnd(18);

export function buildSupportBundle(row: RequestDetail, attempts: AttemptSummary[]): string {
  const smtp = row.transport === 'smtp';
  const lines: string[] = [
    smtp
      ? 'Sendmux SMTP test send — support bundle from Sendmux Console'
      : row.source === 'delivery_logs'
        ? 'Sendmux management API request (delivery logs) — support bundle from Sendmux Console'
        : 'Sendmux request — support bundle from Sendmux Console',
    '',
  ];
  const put = (name: string, value: string | number | null | undefined) =>
    lines.push(`${label(name)}${value === null || value === undefined || value === '' ? '—' : value}`);

  if (!smtp) put('request_id', row.requestId ?? 'none (no answer from Sendmux)');
  put('time (UTC)', isoMillis(row.createdAt));
  put('endpoint', endpointLabel(row));
  if (smtp) {
    const server = (row.requestBody as { server?: unknown } | null)?.server;
    if (typeof server === 'string') put('server', server);
    put('reply code', row.ok === null ? 'no outcome recorded' : (row.status ?? 'no reply from the server'));
  } else put('HTTP status', row.ok === null ? 'no response recorded' : (row.status ?? 'no HTTP answer'));
  put(
    'outcome',
    row.ok === true
      ? 'succeeded'
      : row.ok === false
        ? row.nextRetryAt
          ? 'failed, retried'
          : 'failed'
        : 'pending',
  );
  const upstream = responseError(row.responseBody);
  if (row.errorCode) {
    const e = explainError(row.errorCode, row.errorMessage);
    put('error', `${row.errorCode} — ${e.title}`);
    if (row.errorMessage) put('message', row.errorMessage);
    put('meaning', e.meaning);
    put('what to do', e.action);
    put('retry helps', `${e.retry} — ${e.retryNote}`);
  }
  if (!smtp) put('idempotency key', row.idempotencyKey);
  put('key profile', row.keyProfile);
  put('user', row.userEmail);
  put('source', row.source);
  put('duration', formatDuration(row.durationMs));
  put('log entry', `#${row.id}, attempt ${row.attempt}`);
  if (row.jobId) put('batch job', `${row.jobId}${row.chunkNo !== null ? `, chunk ${row.chunkNo}` : ''}`);
  if (row.messageIds.length)
    put(
      smtp ? 'queued as' : 'message ids',
      row.messageIds.length > 5
        ? `${row.messageIds.slice(0, 5).join(', ')} … (${row.messageIds.length} in all)`
        : row.messageIds.join(', '),
    );

  if (upstream?.fields.length) {
    lines.push('', 'Field errors:');
    for (const f of upstream.fields)
      lines.push(`  ${f.field}: ${[f.code, f.message].filter(Boolean).join(' — ')}`);
  }

  if (attempts.length > 1 || (attempts.length === 1 && attempts[0]!.id !== row.id)) {
    lines.push('', `Attempts under this idempotency key (${attempts.length}):`);
    for (const a of attempts) {
      const wait = a.waitMs > 0 ? `waited ${formatDuration(a.waitMs)} → ` : '';
      lines.push(
        `  ${a.id === row.id ? '*' : ' '} ${isoMillis(a.createdAt)}  ${wait}${attemptLine(a)}${a.requestId ? `  (${a.requestId})` : ''}`,
      );
    }
  }

  if (row.path === BATCH_PATH) {
    const failed = batchMessages(row.requestBody, row.responseBody, row.ok).filter(
      (m) => m.status !== 'queued',
    );
    if (failed.length) {
      lines.push('', `Messages not queued (${failed.length}):`);
      for (const m of failed.slice(0, 100))
        lines.push(
          `  [${m.index}] ${m.to}: ${m.status}${m.error ? ` ${m.error.code} — ${m.error.message}` : ''}`,
        );
    }
  }

  if (smtp) {
    const transcript = transcriptOf(row.transcript);
    lines.push('', 'Transcript (the AUTH secret is shown as ***):');
    lines.push(transcript.length ? transcriptText(transcript) : '(no transcript recorded)');
  }

  lines.push('', 'Request (as logged: attachment content is not stored, only name and size):');
  lines.push(prettyBody(safeRequestBody(row.path, row.requestBody)) || '(no body)');
  lines.push('', 'Response:');
  lines.push(
    row.ok === null ? '(no response recorded)' : prettyBody(safeResponseBody(row.responseBody)) || '(empty)',
  );
  return scrubSecrets(lines.join('\n'));
}
