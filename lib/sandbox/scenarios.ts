import 'server-only';
import { ERROR_CATALOG, ERROR_CODES, resolveErrorCode, type ErrorCode } from '@/lib/sandbox/catalog';
import type { Issue } from '@/lib/sandbox/envelope';
import { MAX_SLOW_MS } from '@/lib/sandbox/limits';

export type Scenario =
  | { kind: 'fail'; code: ErrorCode }
  | { kind: 'flaky'; code: ErrorCode; times: number }
  | { kind: 'slow'; ms: number }
  | { kind: 'drop'; once: boolean };

/** A scenario, a reason the address names one wrongly, or null for an ordinary address. */
export type ScenarioParse = { scenario: Scenario } | { problem: string } | null;

export type ScenarioDoc = { name: string; pattern: string; effect: string; example: string };

/** What the Sandbox page shows; the parser below implements exactly this. */
export const SCENARIOS: readonly ScenarioDoc[] = [
  {
    name: 'Fail',
    pattern: 'fail+<code>@<any domain>',
    effect:
      'The message fails with <code>: an error code from the catalog or an HTTP status (400, 401, 402, 403, 404, 409, 413, 422, 429, 500, 503). ' +
      'A single send answers that error with its HTTP status; in a batch only that message fails, unless every message fails with the same code. ' +
      '429 and 503 carry Retry-After: 1; fail+validation_error reports the address field (e.g. to.email).',
    example: 'fail+insufficient_credits@example.com',
  },
  {
    name: 'Flaky',
    pattern: 'flaky+<code>[+<n>]@<any domain>',
    effect:
      'The whole request (single or batch) fails with <code> for its first n attempts (default 1), counted per Idempotency-Key, ' +
      'or per request body when there is no key, then succeeds. The failures are not stored, so a retry with the same key goes through.',
    example: 'flaky+503@example.com',
  },
  {
    name: 'Slow',
    pattern: 'slow+<ms>@<any domain>',
    effect: `Waits <ms> milliseconds (at most ${MAX_SLOW_MS}) before answering. Meanwhile the same Idempotency-Key gets 409 idempotency_conflict (still in progress).`,
    example: 'slow+3000@example.com',
  },
  {
    name: 'Dropped connection',
    pattern: 'drop@<any domain>',
    effect: 'Every attempt ends with the connection dropped and no HTTP response; nothing is delivered.',
    example: 'drop@example.com',
  },
  {
    name: 'Dropped once',
    pattern: 'drop+once@<any domain>',
    effect:
      'The first attempt is processed (delivered, and stored under its Idempotency-Key) but its response is lost to a dropped connection. ' +
      'A retry with the same key gets the original answer replayed; a retry without a key sends the message again.',
    example: 'drop+once@example.com',
  },
];

export const SCENARIO_NOTES: readonly string[] = [
  'Any other address is accepted as Sendmux would: status queued with a message_id, and the message lands in the outbox (e.g. queued@example.com).',
  'Scenarios are read from the to, cc and bcc addresses, case-insensitively; the domain can be anything.',
  'Extra +tags after a scenario are ignored, so addresses can be made unique: fail+503+row-7@example.com.',
  'An unknown scenario such as fail+teapot@example.com is rejected with 422, so a typo does not pass silently.',
  'Invalid messages fail validation first; scenarios apply to messages that pass it.',
];

/** Every code a scenario can name, with what it answers, for the Sandbox page. */
export const SCENARIO_CODES = ERROR_CODES.map((code) => ({
  code,
  status: ERROR_CATALOG[code].status,
  retryable: ERROR_CATALOG[code].retryable,
}));

const MAX_FLAKY_TIMES = 1000;

export function parseScenarioAddress(email: string): ScenarioParse {
  const at = email.lastIndexOf('@');
  if (at <= 0) return null;
  const [keyword = '', ...tags] = email.slice(0, at).toLowerCase().split('+');
  const [first = '', second = ''] = tags;
  switch (keyword) {
    case 'fail': {
      const code = resolveErrorCode(first);
      return code ? { scenario: { kind: 'fail', code } } : { problem: unknownCode('fail', first) };
    }
    case 'flaky': {
      const code = resolveErrorCode(first);
      if (!code) return { problem: unknownCode('flaky', first) };
      const times = /^\d+$/.test(second) ? Number(second) : 1;
      if (times < 1 || times > MAX_FLAKY_TIMES)
        return {
          problem: `flaky+${first}+${second}: the number of failing attempts must be 1 to ${MAX_FLAKY_TIMES}`,
        };
      return { scenario: { kind: 'flaky', code, times } };
    }
    case 'slow':
      if (!/^\d{1,9}$/.test(first))
        return { problem: 'slow+<ms>: give the delay in milliseconds, e.g. slow+2000@example.com' };
      return { scenario: { kind: 'slow', ms: Math.min(Number(first), MAX_SLOW_MS) } };
    case 'drop':
      return { scenario: { kind: 'drop', once: first === 'once' } };
    default:
      return null;
  }
}

function unknownCode(keyword: string, given: string): string {
  const what = given === '' ? `${keyword}+<code>` : `"${given}" in ${keyword}+${given}`;
  return `Unknown sandbox scenario: ${what}. Use an error code (e.g. ${keyword}+service_unavailable) or an HTTP status (e.g. ${keyword}+503)`;
}

type Recipients = { to: { email: string }; cc?: { email: string }[]; bcc?: { email: string }[] };

export type MessageScenarios = {
  fail?: { code: ErrorCode; field: string; address: string };
  flaky?: { code: ErrorCode; times: number; field: string; address: string };
  slowMs: number;
  drop?: 'always' | 'once';
  problems: Issue[];
};

/** The scenarios one (valid) message asks for, reading to, then cc, then bcc. */
export function scenariosOf(message: Recipients): MessageScenarios {
  const found: MessageScenarios = { slowMs: 0, problems: [] };
  const visit = (email: string, field: string) => {
    const parsed = parseScenarioAddress(email);
    if (!parsed) return;
    if ('problem' in parsed)
      return void found.problems.push({ field, code: 'unknown_scenario', message: parsed.problem });
    const s = parsed.scenario;
    if (s.kind === 'fail') found.fail ??= { code: s.code, field, address: email };
    else if (s.kind === 'flaky') found.flaky ??= { code: s.code, times: s.times, field, address: email };
    else if (s.kind === 'slow') found.slowMs = Math.max(found.slowMs, s.ms);
    else if (!s.once || found.drop === undefined) found.drop = s.once ? 'once' : 'always';
  };
  visit(message.to.email, 'to.email');
  message.cc?.forEach((r, i) => visit(r.email, `cc.${i}.email`));
  message.bcc?.forEach((r, i) => visit(r.email, `bcc.${i}.email`));
  return found;
}
