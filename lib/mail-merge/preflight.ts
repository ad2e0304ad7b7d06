// Why one long file: preflight is one pass over the rows (merge, check, size, duplicates,
// exclusions) whose counters and per-row results are built together; the pieces it uses (merge,
// row-check, recipients, template) already live in their own modules.
import { toSendPayload } from '@/lib/compose/payload';
import { formatBytes } from '@/lib/format/display';
import { MAX_BATCH, MESSAGE_LIMIT_BYTES, utf8Length } from '@/lib/schemas/limits';
import { messageSchema, type MessageInput } from '@/lib/schemas/message';
import type { CsvProblem, CsvTable } from '@/lib/mail-merge/csv';
import { FIELD_PATHS, type BatchSpec } from '@/lib/mail-merge/mapping';
import {
  columnForPath,
  compileSpec,
  emptyVariableIssue,
  mergeCompiled,
  type CompiledSpec,
  type MergeIssue,
} from '@/lib/mail-merge/merge';
import { compileRowCheck, type AcceptedRow } from '@/lib/mail-merge/row-check';
import { toCsv } from '@/lib/mail-merge/results-csv';

// Preflight: every row merged and validated with messageSchema, before anything is sent. The
// browser runs it for the preview; the server runs it again on the uploaded text when a job
// starts and sends only what it finds valid.

export type RowProblemKind = 'invalid' | 'csv' | 'empty_variable' | 'unparseable_recipient' | 'duplicate';

export type RowProblem = {
  /** messageSchema path (`to.email`, `cc.2.email`, `subject`), or `csv` for a problem with the line itself. */
  field: string;
  kind: RowProblemKind;
  message: string;
  /** The CSV column the value came from, when one column fills the field. */
  column?: string;
};

export type PreflightRow = {
  /** Index in parsed.rows. */
  index: number;
  line: number;
  status: 'valid' | 'invalid' | 'excluded';
  /** The To address as merged (for lists and the errors CSV); '' for excluded rows. */
  to: string;
  /**
   * The merged message: always for invalid rows (to show what is wrong), for valid rows only with
   * keepMessages; null for excluded rows. Render any row with mergeRow(parsed.rows[index], spec, columns).
   */
  message: MessageInput | null;
  errors: readonly RowProblem[];
  warnings: readonly RowProblem[];
  /** Line of the first valid row with the same To address. */
  duplicateOfLine: number | null;
  /** UTF-8 bytes of this message's wire JSON (0 unless valid). */
  wireBytes: number;
};

export type SpecProblem = {
  kind:
    | 'csv'
    | 'missing_column'
    | 'unknown_variable'
    | 'template_syntax'
    | 'attachment_profile'
    | 'attachment_expired'
    | 'request_too_large'
    | 'nothing_to_send';
  severity: 'error' | 'warning';
  message: string;
  /** Field of the spec it concerns (`subject`, `htmlBody`, `toEmail`, `attachments`…). */
  field?: string;
};

export type PreflightPlan = {
  rows: number;
  valid: number;
  invalid: number;
  excluded: number;
  /** Rows to send that carry at least one warning. */
  withWarnings: number;
  withEmptyVariables: number;
  duplicates: number;
  /** Messages to send (valid rows) and the requests of ≤ MAX_BATCH they go in. */
  messages: number;
  requests: number;
  requestSize: number;
  /** Sum of the wire JSON of every message to send, in UTF-8 bytes. */
  totalBytes: number;
  largestRequestBytes: number;
  /**
   * How rows were validated: 'fast' = the pre-check accepted what it could and messageSchema
   * decided the rest; 'schema' = messageSchema on every row (asked for, or the spec's constant
   * parts are invalid); 'schema-after-disagreement' = a sampled row showed the pre-check and the
   * schema disagree, so the whole file was validated again with the schema (a bug to report).
   */
  validation: 'fast' | 'schema' | 'schema-after-disagreement';
};

export type PreflightResult = {
  columns: string[];
  rows: PreflightRow[];
  plan: PreflightPlan;
  problems: SpecProblem[];
  /** True when a job may start: something to send, no invalid rows left in, no spec errors. */
  ready: boolean;
};

export type PreflightOptions = {
  /** The key profile the job will use: uploaded attachments must belong to it. */
  profile?: string;
  /** Epoch ms, for attachment expiry. */
  now?: number;
  /**
   * 'fast' (default) can only accept what messageSchema accepts, so the server may use it too.
   * 'schema' runs messageSchema and JSON.stringify on every row: ~4 s of CPU for 100,000 rows with
   * a 1 KB HTML body (bench/preflight), which blocks a server's event loop for that long.
   */
  validation?: 'fast' | 'schema';
  /**
   * Keep each merged message on its row. Off by default: 100,000 rendered bodies are hundreds of
   * MB, and the preview renders the row it shows with mergeRow.
   */
  keepMessages?: boolean;
};

const ROW_LEVEL_CSV = new Set<CsvProblem['kind']>([
  'too_few_fields',
  'too_many_fields',
  'quotes',
  'field_too_long',
]);
// `{"messages":[` … `]}` around a request's messages, plus one comma between each two.
const BATCH_ENVELOPE_BYTES = '{"messages":[]}'.length;

const NONE: readonly RowProblem[] = Object.freeze([]);
// One accepted row in this many is also run through messageSchema, as a guard against the
// pre-check and the schema drifting apart.
const SAMPLE_EVERY = 1000;

export function preflight(
  parsed: CsvTable,
  spec: BatchSpec,
  options: PreflightOptions = {},
): PreflightResult {
  return run(parsed, spec, options, options.validation ?? 'fast');
}

function run(
  parsed: CsvTable,
  spec: BatchSpec,
  options: PreflightOptions,
  validation: PreflightPlan['validation'],
): PreflightResult {
  const compiled = compileSpec(spec, parsed.columns);
  const check = validation === 'fast' ? compileRowCheck(compiled) : null;
  if (validation === 'fast' && check === null) validation = 'schema';
  const keepMessages = options.keepMessages ?? false;
  const problems = specProblems(parsed, compiled, options);
  const excluded = new Set(spec.excludedLines);
  const toColumn =
    compiled.sources.toEmail && 'column' in compiled.sources.toEmail
      ? compiled.sources.toEmail.column
      : undefined;

  const csvByLine = new Map<number, CsvProblem[]>();
  for (const p of parsed.problems) {
    if (!ROW_LEVEL_CSV.has(p.kind)) continue;
    const list = csvByLine.get(p.line);
    if (list) list.push(p);
    else csvByLine.set(p.line, [p]);
  }

  const rows: PreflightRow[] = [];
  const firstLineByTo = new AddressIndex(parsed.rows.length);
  const plan: PreflightPlan = {
    rows: parsed.rows.length,
    valid: 0,
    invalid: 0,
    excluded: 0,
    withWarnings: 0,
    withEmptyVariables: 0,
    duplicates: 0,
    messages: 0,
    requests: 0,
    requestSize: MAX_BATCH,
    totalBytes: 0,
    largestRequestBytes: 0,
    validation,
  };
  const fast: AcceptedRow = { wireBytes: 0, toEmail: '', empty: null };
  let requestBytes = 0;
  let inRequest = 0;
  let accepted = 0;

  for (let i = 0; i < parsed.rows.length; i++) {
    const row = parsed.rows.at(i)!;
    if (excluded.size && excluded.has(row.line)) {
      rows.push({
        index: i,
        line: row.line,
        status: 'excluded',
        to: '',
        message: null,
        errors: NONE,
        warnings: NONE,
        duplicateOfLine: null,
        wireBytes: 0,
      });
      plan.excluded++;
      continue;
    }
    const csv = csvByLine.size ? csvByLine.get(row.line) : undefined;
    let message: MessageInput | null = null;
    let to: string;
    let wireBytes = 0;
    let errors: RowProblem[] | null = null;
    let warnings: RowProblem[] | null = null;

    if (check && !csv && check.accept(row.values, fast)) {
      if (accepted++ % SAMPLE_EVERY === 0) {
        const full = mergeCompiled(compiled, row.values);
        if (
          !messageSchema.safeParse(full.message).success ||
          exactWireBytes(full.message) !== fast.wireBytes ||
          full.issues.length !== (fast.empty?.length ?? 0)
        )
          return run(parsed, spec, options, 'schema-after-disagreement');
      }
      to = fast.toEmail;
      wireBytes = fast.wireBytes;
      if (fast.empty)
        warnings = fast.empty.map(({ field, column }) => problemOf(emptyVariableIssue(field, column)));
      if (keepMessages) message = mergeCompiled(compiled, row.values).message;
    } else {
      const merged = mergeCompiled(compiled, row.values);
      message = merged.message;
      to = message.to.email;
      if (csv)
        for (const p of csv)
          (p.severity === 'error' ? (errors ??= []) : (warnings ??= [])).push({
            field: 'csv',
            kind: 'csv',
            message: p.message,
          });
      for (const issue of merged.issues)
        (issue.severity === 'error' ? (errors ??= []) : (warnings ??= [])).push(problemOf(issue));
      const result = messageSchema.safeParse(message);
      if (!result.success) {
        for (const issue of result.error.issues) {
          const field = issue.path.map(String).join('.');
          const column = columnForPath(compiled, field, message);
          (errors ??= []).push({
            field,
            kind: 'invalid',
            message: issue.message,
            ...(column ? { column } : {}),
          });
        }
      }
      if (errors === null) wireBytes = exactWireBytes(message);
    }

    let duplicateOfLine: number | null = null;
    if (errors === null) {
      const first = firstLineByTo.firstLine(addressKey(to), row.line);
      if (first !== row.line) {
        duplicateOfLine = first;
        plan.duplicates++;
        (warnings ??= []).push({
          field: FIELD_PATHS.toEmail,
          kind: 'duplicate',
          message: `Same To address as line ${first}: this address gets more than one message`,
          ...(toColumn ? { column: toColumn } : {}),
        });
      }
      plan.valid++;
      plan.totalBytes += wireBytes;
      if (inRequest === MAX_BATCH) {
        plan.largestRequestBytes = Math.max(plan.largestRequestBytes, requestBytes);
        requestBytes = 0;
        inRequest = 0;
      }
      requestBytes += wireBytes + (inRequest === 0 ? BATCH_ENVELOPE_BYTES : 1);
      inRequest++;
      if (warnings) {
        plan.withWarnings++;
        if (warnings.some((w) => w.kind === 'empty_variable')) plan.withEmptyVariables++;
      }
      if (!keepMessages) message = null;
    } else plan.invalid++;

    rows.push({
      index: i,
      line: row.line,
      status: errors ? 'invalid' : 'valid',
      to,
      message,
      errors: errors ?? NONE,
      warnings: warnings ?? NONE,
      duplicateOfLine,
      wireBytes,
    });
  }
  plan.largestRequestBytes = Math.max(plan.largestRequestBytes, requestBytes);
  plan.messages = plan.valid;
  plan.requests = Math.ceil(plan.valid / MAX_BATCH);

  if (plan.largestRequestBytes > MESSAGE_LIMIT_BYTES)
    problems.push(requestTooLarge(plan.largestRequestBytes));
  if (plan.valid === 0 && parsed.rows.length > 0)
    problems.push({ kind: 'nothing_to_send', severity: 'error', message: 'No row is ready to send' });

  const ready = plan.valid > 0 && plan.invalid === 0 && !problems.some((p) => p.severity === 'error');
  return { columns: parsed.columns, rows, plan, problems, ready };
}

export function requestTooLarge(bytes: number): SpecProblem {
  return {
    kind: 'request_too_large',
    severity: 'error',
    message: `A request of ${MAX_BATCH} messages would be ${formatBytes(bytes)}; Sendmux accepts at most ${formatBytes(MESSAGE_LIMIT_BYTES)} per request. Shorten the bodies or send attachments as uploads`,
  };
}

/** Adds valid rows' wire sizes up into requests of MAX_BATCH, as preflight does, for a file read in parts. */
export class RequestSizer {
  largest = 0;
  private bytes = 0;
  private inRequest = 0;

  add(wireBytes: number): void {
    if (this.inRequest === MAX_BATCH) {
      this.largest = Math.max(this.largest, this.bytes);
      this.bytes = 0;
      this.inRequest = 0;
    }
    this.bytes += wireBytes + (this.inRequest === 0 ? BATCH_ENVELOPE_BYTES : 1);
    this.inRequest++;
  }

  get largestRequestBytes(): number {
    return Math.max(this.largest, this.bytes);
  }
}

const UPPER_OR_SPACE = /[A-Z\s]|[^\x00-\x7f]/;

/** The To address as duplicates are compared: trimmed, lower-case (most are already). */
function addressKey(email: string): string {
  return UPPER_OR_SPACE.test(email) ? email.trim().toLowerCase() : email;
}

/**
 * The first line of each To address, in an open-addressing table of typed arrays: a Map of
 * 100,000 fresh strings costs more garbage-collector time than all of preflight's checks.
 */
class AddressIndex {
  private readonly slots: Int32Array;
  private readonly keys: string[] = [];
  private readonly lines: number[] = [];
  private readonly mask: number;

  constructor(expected: number) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The line this key was first seen on; records `line` for it if it is new. */
  firstLine(key: string, line: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.slots[i]!;
      if (slot === 0) {
        this.keys.push(key);
        this.lines.push(line);
        this.slots[i] = this.keys.length;
        return line;
      }
      if (this.keys[slot - 1] === key) return this.lines[slot - 1]!;
    }
  }
}

function problemOf(issue: MergeIssue): RowProblem {
  return {
    field: issue.field,
    kind: issue.kind,
    message: issue.message,
    ...(issue.column ? { column: issue.column } : {}),
  };
}

/** UTF-8 bytes of the message's wire JSON, the slow and obvious way. */
export function exactWireBytes(message: MessageInput): number {
  return utf8Length(JSON.stringify(toSendPayload(message)));
}

function specProblems(parsed: CsvTable, c: CompiledSpec, options: PreflightOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const p of parsed.problems)
    if (!ROW_LEVEL_CSV.has(p.kind)) problems.push({ kind: 'csv', severity: p.severity, message: p.message });
  for (const column of c.missingColumns)
    problems.push({
      kind: 'missing_column',
      severity: 'error',
      message: `The file has no column “${column}”; map that field to another column or a fixed value`,
    });
  if (!c.spec.fields.toEmail)
    problems.push({
      kind: 'missing_column',
      severity: 'error',
      field: 'toEmail',
      message: 'Choose the column that holds the To address',
    });
  for (const field of ['subject', 'htmlBody', 'textBody'] as const) {
    const bound = c[field];
    for (const name of bound.unknown) {
      const fatal = bound.unknownWithoutFallback.includes(name);
      problems.push({
        kind: 'unknown_variable',
        severity: fatal ? 'error' : 'warning',
        field,
        message: fatal
          ? `{{${name}}} matches no column; it would be sent as written. Check the spelling or add a fallback: {{${name}|…}}`
          : `{{${name}}} matches no column; every message gets its fallback`,
      });
    }
    for (const issue of bound.issues)
      problems.push({ kind: 'template_syntax', severity: 'warning', field, message: issue.message });
  }
  const now = options.now ?? Date.now();
  for (const a of c.spec.attachments) {
    if (options.profile !== undefined && a.profile !== options.profile)
      problems.push({
        kind: 'attachment_profile',
        severity: 'error',
        field: 'attachments',
        message: `${a.filename} was uploaded with the “${a.profile}” key; upload it again for “${options.profile}”`,
      });
    const expires = Date.parse(a.expiresAt);
    if (Number.isFinite(expires) && expires <= now)
      problems.push({
        kind: 'attachment_expired',
        severity: 'error',
        field: 'attachments',
        message: `${a.filename} has expired on Sendmux; upload it again`,
      });
  }
  return problems;
}

export function formatRowProblem(p: RowProblem): string {
  return p.field && p.field !== 'csv' ? `${p.field}: ${p.message}` : p.message;
}

const ERROR_COLUMNS = ['line', 'to', 'field', 'message', 'severity', 'column'];

/** "Download errors as CSV": one line per problem of every row (warnings too when asked). */
export function errorsCsv(result: PreflightResult, options: { includeWarnings?: boolean } = {}): string {
  const lines: string[][] = [];
  for (const row of result.rows) {
    if (row.status === 'excluded') continue;
    const to = row.to;
    for (const p of row.errors)
      lines.push([String(row.line), to, p.field, p.message, 'error', p.column ?? '']);
    if (options.includeWarnings)
      for (const p of row.warnings)
        lines.push([String(row.line), to, p.field, p.message, 'warning', p.column ?? '']);
  }
  return toCsv(ERROR_COLUMNS, lines);
}

export type SendableRow = {
  csvLine: number;
  input: Record<string, string>;
  message: ReturnType<typeof toSendPayload>;
};

/**
 * The rows a job sends, in file order, as wire JSON: what the server stores after its own
 * preflight of the uploaded text (it never takes merged messages from the browser).
 */
export function sendableRows(parsed: CsvTable, spec: BatchSpec, result: PreflightResult): SendableRow[] {
  const compiled = compileSpec(spec, parsed.columns);
  const out: SendableRow[] = [];
  for (const r of result.rows) {
    if (r.status !== 'valid') continue;
    const row = parsed.rows.at(r.index)!;
    out.push({
      csvLine: row.line,
      input: row.values,
      message: toSendPayload(r.message ?? mergeCompiled(compiled, row.values).message),
    });
  }
  return out;
}
