import type { AttachmentInput, MessageInput } from '@/lib/schemas/message';
import type { CsvRow } from '@/lib/mail-merge/csv';
import {
  FIELD_PATHS,
  MAPPED_FIELDS,
  missingColumns,
  type BatchSpec,
  type FieldSource,
  type MappedField,
} from '@/lib/mail-merge/mapping';
import { parseRecipientList, type RecipientEntry, type RecipientList } from '@/lib/mail-merge/recipients';
import { bindTemplate, renderBound, type BoundTemplate } from '@/lib/mail-merge/template';

// One CSV row + the spec → one message in app shape (what messageSchema validates and
// toSendPayload turns into wire JSON). Pure and client-safe.

export type MergeIssue = {
  /** messageSchema path of the field concerned: `subject`, `cc`, `headers.0.value`… */
  field: string;
  kind: 'empty_variable' | 'unparseable_recipient';
  severity: 'error' | 'warning';
  message: string;
  column?: string;
};

export type MergeResult = { message: MessageInput; issues: MergeIssue[] };

export type Source = { column: string } | { fixed: string } | null;
export type TemplateField = 'subject' | 'htmlBody' | 'textBody';

export type CompiledSpec = {
  spec: BatchSpec;
  columns: readonly string[];
  subject: BoundTemplate;
  htmlBody: BoundTemplate;
  textBody: BoundTemplate;
  sources: Record<MappedField, Source>;
  fixedCc: RecipientList | null;
  fixedBcc: RecipientList | null;
  headers: { name: string; source: Source }[];
  attachments: AttachmentInput[];
  /** Columns the spec names that the CSV lacks: they read as empty. */
  missingColumns: string[];
};

const NO_ISSUES: readonly MergeIssue[] = Object.freeze([]);

function compileSource(source: FieldSource | undefined): Source {
  if (!source) return null;
  return source.kind === 'column' ? { column: source.column } : { fixed: source.value };
}

/** Everything that does not depend on the row, worked out once per spec. */
export function compileSpec(spec: BatchSpec, columns: readonly string[]): CompiledSpec {
  const sources = {} as Record<MappedField, Source>;
  for (const field of MAPPED_FIELDS) sources[field] = compileSource(spec.fields[field]);
  const fixedList = (s: Source) => (s && 'fixed' in s ? parseRecipientList(s.fixed) : null);
  return {
    spec,
    columns,
    subject: bindTemplate(spec.subject, columns, 'text'),
    htmlBody: bindTemplate(spec.htmlBody, columns, 'html'),
    textBody: bindTemplate(spec.textBody, columns, 'text'),
    sources,
    fixedCc: fixedList(sources.cc),
    fixedBcc: fixedList(sources.bcc),
    headers: spec.headers.map((h) => ({ name: h.name.trim(), source: compileSource(h.source) })),
    attachments: spec.attachments.map((a): AttachmentInput => ({
      id: a.attachmentId,
      kind: 'uploaded',
      ...a,
    })),
    missingColumns: missingColumns(spec, columns),
  };
}

const compiledCache = new WeakMap<BatchSpec, CompiledSpec>();

function cachedCompile(spec: BatchSpec, columns: readonly string[]): CompiledSpec {
  const hit = compiledCache.get(spec);
  if (hit && sameColumns(hit.columns, columns)) return hit;
  const compiled = compileSpec(spec, columns);
  compiledCache.set(spec, compiled);
  return compiled;
}

export function mergeRow(row: CsvRow, spec: BatchSpec, columns: readonly string[]): MergeResult {
  const { message, issues } = mergeCompiled(cachedCompile(spec, columns), row.values);
  return { message, issues: [...issues] };
}

/** The hot path of preflight's schema route: no template parsing, no closures. */
export function mergeCompiled(
  c: CompiledSpec,
  values: Readonly<Record<string, string>>,
): { message: MessageInput; issues: readonly MergeIssue[] } {
  const issues: MergeIssue[] = [];
  const src = c.sources;
  const headers: MessageInput['headers'] = [];
  for (const h of c.headers) {
    const value = readSource(h.source, values);
    if (value !== '') headers.push({ name: h.name, value });
  }
  const message: MessageInput = {
    from: { email: readSource(src.fromEmail, values), name: readSource(src.fromName, values) },
    to: { email: readSource(src.toEmail, values), name: readSource(src.toName, values) },
    cc: recipients(src.cc, c.fixedCc, values, 'cc', issues),
    bcc: recipients(src.bcc, c.fixedBcc, values, 'bcc', issues),
    replyTo: { email: readSource(src.replyToEmail, values), name: readSource(src.replyToName, values) },
    returnPath: readSource(src.returnPath, values),
    deliveryGroup: '',
    subject: render(c.subject, 'subject', values, issues),
    htmlBody: render(c.htmlBody, 'htmlBody', values, issues),
    textBody: render(c.textBody, 'textBody', values, issues),
    headers,
    attachments: c.attachments.slice(),
  };
  return { message, issues: issues.length ? issues : NO_ISSUES };
}

/** A field's value for one row: a fixed value as written, a cell trimmed. */
export function readSource(s: Source, values: Readonly<Record<string, string>>): string {
  if (s === null) return '';
  if ('fixed' in s) return s.fixed;
  const v = values[s.column];
  return v ? v.trim() : '';
}

export function emptyVariableIssue(field: TemplateField, column: string): MergeIssue {
  return {
    field,
    kind: 'empty_variable',
    severity: 'warning',
    column,
    message: `{{${column}}} is empty on this row and has no fallback`,
  };
}

function render(
  bound: BoundTemplate,
  field: TemplateField,
  values: Readonly<Record<string, string>>,
  issues: MergeIssue[],
): string {
  const { text, empty } = renderBound(bound, values);
  for (const column of empty) issues.push(emptyVariableIssue(field, column));
  return text;
}

function recipients(
  s: Source,
  fixed: RecipientList | null,
  values: Readonly<Record<string, string>>,
  field: 'cc' | 'bcc',
  issues: MergeIssue[],
): RecipientEntry[] {
  if (s === null) return [];
  let parsed = fixed;
  if (parsed === null) {
    const cell = readSource(s, values);
    if (cell === '') return [];
    parsed = parseRecipientList(cell);
  }
  for (const fragment of parsed.invalid) {
    issues.push({
      field,
      kind: 'unparseable_recipient',
      severity: 'error',
      ...('column' in s ? { column: s.column } : {}),
      message: `Can't read “${fragment}” as an address; write it as name@example.com or Name <name@example.com>`,
    });
  }
  return parsed.entries.map((e) => ({ email: e.email, name: e.name }));
}

/** The CSV column a messageSchema path (`to.email`, `cc.3.email`, `headers.0.value`) comes from, if one column fills it. */
export function columnForPath(c: CompiledSpec, path: string, message: MessageInput): string | undefined {
  const [top, second] = path.split('.');
  let source: Source | undefined;
  if (top === 'headers') {
    const name = message.headers[Number(second)]?.name;
    source = c.headers.find((h) => h.name === name)?.source;
  } else {
    const field = MAPPED_FIELDS.find(
      (f) => FIELD_PATHS[f] === path || ((f === 'cc' || f === 'bcc') && top === f),
    );
    source = field && c.sources[field];
  }
  return source && 'column' in source ? source.column : undefined;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
