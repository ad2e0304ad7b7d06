// {{column}} and {{column|fallback}} templates for the mail merge. Pure and client-safe.
//
// Rules (also shown to users):
// - A tag is `{{` … `}}` on one line; whitespace inside is ignored: `{{ First Name | there }}`.
// - The name matches a column exactly, else case-insensitively. Cell values are trimmed.
// - A fallback is used when the cell is empty; `{{name|}}` means "empty is fine".
// - In HTML, values are escaped (& < > " '); fallbacks are template text and are not.
// - `\{{` writes a literal `{{`. A `{{` with no `}}` on its line stays as text and is reported.
// - Sendmux's own tags ([DP_NAME], [DP_VAR_KEY], …) are plain text here and pass through.
// - Substituted values are never read as templates themselves.

export type TemplateMode = 'html' | 'text';

export type TemplateTag = {
  name: string;
  /** null: no `|`; '' : an explicit empty fallback. */
  fallback: string | null;
  /** Offsets of the whole tag in the source, for highlighting. */
  start: number;
  end: number;
};

export type TemplateIssue = { kind: 'unclosed' | 'empty_name'; start: number; message: string };

export type CompiledTemplate = {
  source: string;
  parts: (string | TemplateTag)[];
  tags: TemplateTag[];
  issues: TemplateIssue[];
};

type BoundLiteral = { text: string; metrics: TextMetrics };
type BoundTag = { name: string; column: string | null; fallback: BoundLiteral | null; raw: BoundLiteral };

export type BoundTemplate = {
  mode: TemplateMode;
  parts: (BoundLiteral | BoundTag)[];
  /** Columns the template reads, in order of first use. */
  used: string[];
  /** Tag names that match no column (with or without a fallback). */
  unknown: string[];
  /** Unknown names that have no fallback: they would be sent as literal `{{name}}`. */
  unknownWithoutFallback: string[];
  issues: TemplateIssue[];
};

/**
 * What preflight needs to know about a rendered text without reading it again: its length, the
 * UTF-8 bytes of its JSON string (without the quotes), whether it has a line break or NUL and
 * whether it has any non-whitespace. `exact` is false when a surrogate pair might straddle two
 * parts, the one case where the sum of the parts' JSON bytes can differ from the whole's.
 */
export type TextMetrics = {
  length: number;
  jsonBytes: number;
  headerControl: boolean;
  nonBlank: boolean;
  exact: boolean;
};

export const newTextMetrics = (): TextMetrics => ({
  length: 0,
  jsonBytes: 0,
  headerControl: false,
  nonBlank: false,
  exact: true,
});

export type TemplateRender = {
  text: string;
  used: string[];
  unknown: string[];
  empty: string[];
  issues: TemplateIssue[];
};

const NO_NAMES: readonly string[] = Object.freeze([]);

export function compileTemplate(source: string): CompiledTemplate {
  const parts: (string | TemplateTag)[] = [];
  const tags: TemplateTag[] = [];
  const issues: TemplateIssue[] = [];
  let text = '';
  let pos = 0;
  for (;;) {
    const open = source.indexOf('{{', pos);
    if (open === -1) break;
    if (open > 0 && source.charCodeAt(open - 1) === 92 /* \ */) {
      text += source.slice(pos, open - 1) + '{{';
      pos = open + 2;
      continue;
    }
    text += source.slice(pos, open);
    const close = source.indexOf('}}', open + 2);
    const lineEnd = nextLineBreak(source, open + 2);
    const reopen = source.indexOf('{{', open + 2);
    if (close === -1 || close > lineEnd || (reopen !== -1 && reopen < close)) {
      issues.push({
        kind: 'unclosed',
        start: open,
        message: `“{{” at character ${open + 1} has no closing “}}” on its line; it is sent as written`,
      });
      text += '{{';
      pos = open + 2;
      continue;
    }
    const inner = source.slice(open + 2, close);
    const bar = inner.indexOf('|');
    const name = (bar === -1 ? inner : inner.slice(0, bar)).trim();
    const end = close + 2;
    if (name === '') {
      issues.push({
        kind: 'empty_name',
        start: open,
        message: `“${source.slice(open, end)}” names no column; it is sent as written`,
      });
      text += source.slice(open, end);
      pos = end;
      continue;
    }
    if (text) parts.push(text);
    text = '';
    const tag: TemplateTag = {
      name,
      fallback: bar === -1 ? null : inner.slice(bar + 1).trim(),
      start: open,
      end,
    };
    parts.push(tag);
    tags.push(tag);
    pos = end;
  }
  text += source.slice(pos);
  if (text) parts.push(text);
  return { source, parts, tags, issues };
}

/** The column a tag name refers to: exact match first, then case-insensitive. */
export function resolveColumn(name: string, columns: readonly string[]): string | null {
  const wanted = name.trim();
  if (columns.includes(wanted)) return wanted;
  const lower = wanted.toLowerCase();
  return columns.find((c) => c.toLowerCase() === lower) ?? null;
}

/** Resolves every tag against the columns once, so that rendering a row is a plain loop. */
export function bindTemplate(
  template: string | CompiledTemplate,
  columns: readonly string[],
  mode: TemplateMode,
): BoundTemplate {
  const compiled = typeof template === 'string' ? compileTemplate(template) : template;
  const used: string[] = [];
  const unknown: string[] = [];
  const unknownWithoutFallback: string[] = [];
  const parts = compiled.parts.map((p): BoundLiteral | BoundTag => {
    if (typeof p === 'string') return literal(p);
    const column = resolveColumn(p.name, columns);
    if (column === null) {
      if (!unknown.includes(p.name)) unknown.push(p.name);
      if (p.fallback === null && !unknownWithoutFallback.includes(p.name))
        unknownWithoutFallback.push(p.name);
    } else if (!used.includes(column)) used.push(column);
    return {
      name: p.name,
      column,
      fallback: p.fallback === null ? null : literal(p.fallback),
      raw: literal(compiled.source.slice(p.start, p.end)),
    };
  });
  return { mode, parts, used, unknown, unknownWithoutFallback, issues: compiled.issues };
}

// walk() hands its list of empty columns back through this, so that measuring 100,000 rows
// allocates nothing; it is read right after each call (JS runs one call at a time).
let lastEmpty: readonly string[] = NO_NAMES;

/**
 * One row through a bound template. `empty` lists the columns whose cell was empty with no
 * fallback (a shared frozen empty array when there are none, to keep 100,000 rows cheap).
 */
export function renderBound(
  bound: BoundTemplate,
  values: Readonly<Record<string, string>>,
): { text: string; empty: readonly string[] } {
  const text = walk(bound, values, null);
  return { text, empty: lastEmpty };
}

/** What renderBound would produce, measured (see TextMetrics) without building it. Returns the empty columns. */
export function measureBound(
  bound: BoundTemplate,
  values: Readonly<Record<string, string>>,
  metrics: TextMetrics,
): readonly string[] {
  walk(bound, values, metrics);
  return lastEmpty;
}

function walk(
  bound: BoundTemplate,
  values: Readonly<Record<string, string>>,
  metrics: TextMetrics | null,
): string {
  const html = bound.mode === 'html';
  if (metrics) resetMetrics(metrics);
  let text = '';
  let empty: string[] | null = null;
  for (const p of bound.parts) {
    let piece: BoundLiteral | null;
    if ('metrics' in p) piece = p;
    else if (p.column === null) piece = p.fallback ?? p.raw;
    else {
      let value = values[p.column] ?? '';
      if (value !== '') value = value.trim();
      if (value !== '') {
        if (html) value = escapeHtml(value);
        if (metrics) addValue(metrics, value);
        else text += value;
        continue;
      }
      piece = p.fallback;
      if (piece === null) {
        if (empty === null) empty = [p.column];
        else if (!empty.includes(p.column)) empty.push(p.column);
        continue;
      }
    }
    if (metrics) addMetrics(metrics, piece.metrics);
    else text += piece.text;
  }
  lastEmpty = empty ?? NO_NAMES;
  return text;
}

/**
 * A bound template reduced to what measuring needs: the metrics of everything that is the same on
 * every row (text, and what unknown tags print), and the tags that read a column.
 */
export type MeasurePlan = { constant: TextMetrics; vars: { column: string; fallback: TextMetrics | null }[] };

export function measurePlan(bound: BoundTemplate): MeasurePlan {
  const constant = newTextMetrics();
  const vars: MeasurePlan['vars'] = [];
  for (const p of bound.parts) {
    if ('metrics' in p) addMetrics(constant, p.metrics);
    else if (p.column === null) addMetrics(constant, (p.fallback ?? p.raw).metrics);
    else vars.push({ column: p.column, fallback: p.fallback?.metrics ?? null });
  }
  return { constant, vars };
}

/** Measures one trimmed, non-empty value into `m` (reset first); true when it has a character HTML escapes. */
export function measureValue(value: string, m: TextMetrics): boolean {
  resetMetrics(m);
  return addValue(m, value);
}

export function copyMetrics(to: TextMetrics, from: TextMetrics) {
  to.length = from.length;
  to.jsonBytes = from.jsonBytes;
  to.headerControl = from.headerControl;
  to.nonBlank = from.nonBlank;
  to.exact = from.exact;
}

/** Convenience for previews and tests: compile, bind and render in one call. */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  options: { mode: TemplateMode; columns?: readonly string[] },
): TemplateRender {
  const bound = bindTemplate(template, options.columns ?? Object.keys(values), options.mode);
  const { text, empty } = renderBound(bound, values);
  return { text, used: bound.used, unknown: bound.unknown, empty: [...empty], issues: bound.issues };
}

/** For the editor: the tags as typed, which of them match no column, and syntax issues. */
export function templateVariables(
  template: string,
  columns?: readonly string[],
): { variables: string[]; tags: TemplateTag[]; unknown: string[]; issues: TemplateIssue[] } {
  const compiled = compileTemplate(template);
  const variables = [...new Set(compiled.tags.map((t) => t.name))];
  const unknown = columns ? variables.filter((v) => resolveColumn(v, columns) === null) : [];
  return { variables, tags: compiled.tags, unknown, issues: compiled.issues };
}

const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIAL_ALL = /[&<>"']/g;
const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return HTML_SPECIAL.test(value) ? value.replace(HTML_SPECIAL_ALL, (ch) => HTML_ENTITIES[ch] ?? ch) : value;
}

function literal(text: string): BoundLiteral {
  const metrics = newTextMetrics();
  addValue(metrics, text);
  metrics.nonBlank = text.trim() !== '';
  return { text, metrics };
}

function resetMetrics(m: TextMetrics) {
  m.length = 0;
  m.jsonBytes = 0;
  m.headerControl = false;
  m.nonBlank = false;
  m.exact = true;
}

export function addMetrics(m: TextMetrics, add: TextMetrics) {
  m.length += add.length;
  m.jsonBytes += add.jsonBytes;
  if (add.headerControl) m.headerControl = true;
  if (add.nonBlank) m.nonBlank = true;
  if (!add.exact) m.exact = false;
}

/** Measures a trimmed, non-empty value (so it is non-blank) in one pass; true if HTML would escape some of it. */
function addValue(m: TextMetrics, s: string): boolean {
  const n = s.length;
  let bytes = n;
  let htmlSpecial = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      if (c === 0x22 || c === 0x5c) bytes += 1;
      if (c === 0x22 || c === 0x26 || c === 0x27 || c === 0x3c || c === 0x3e) htmlSpecial = true;
      continue;
    }
    if (c < 0x20) {
      // JSON escapes \b \t \n \f \r as two characters and other controls as \u00XX.
      bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 1 : 5;
      if (c !== 9) m.headerControl = true;
    } else if (c < 0x80) {
      m.headerControl = true; // DEL
      continue;
    } else if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2;
        i++;
      } else {
        bytes += 5;
        if (i === n - 1) m.exact = false;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      bytes += 5;
      if (i === 0) m.exact = false;
    } else bytes += 2;
  }
  m.length += n;
  m.jsonBytes += bytes;
  m.nonBlank = true;
  return htmlSpecial;
}

function nextLineBreak(s: string, from: number): number {
  const n = s.indexOf('\n', from);
  const r = s.indexOf('\r', from);
  if (n === -1) return r === -1 ? s.length : r;
  return r === -1 ? n : Math.min(n, r);
}
