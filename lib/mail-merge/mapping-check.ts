import { FIELD_LABELS, MAPPED_FIELDS, type BatchSpec, type MappedField } from '@/lib/mail-merge/mapping';
import { templateVariables } from '@/lib/mail-merge/template';

// What the mapping step can tell before any row is merged: a required field with no source, a
// column the file lacks, an empty subject or HTML body, a {{tag}} that would go out as written.

export type MappingProblem =
  | { kind: 'field'; field: MappedField; fixed: boolean; label: string; message: string }
  | { kind: 'header'; index: number; label: string; message: string }
  | { kind: 'template'; field: 'subject' | 'htmlBody' | 'textBody'; label: string; message: string };

const REQUIRED: readonly MappedField[] = ['toEmail', 'fromEmail'];
const TEMPLATE_LABELS = { subject: 'Subject', htmlBody: 'HTML body', textBody: 'Text body' } as const;

export function mappingProblems(spec: BatchSpec, columns: readonly string[]): MappingProblem[] {
  const have = new Set(columns);
  const out: MappingProblem[] = [];
  for (const field of MAPPED_FIELDS) {
    const source = spec.fields[field];
    const label = FIELD_LABELS[field];
    if (!source) {
      if (REQUIRED.includes(field))
        out.push({ kind: 'field', field, fixed: false, label, message: 'Choose a column or a fixed value' });
    } else if (source.kind === 'column' && !have.has(source.column))
      out.push({
        kind: 'field',
        field,
        fixed: false,
        label,
        message: `This file has no column “${source.column}”`,
      });
    else if (source.kind === 'fixed' && REQUIRED.includes(field) && !source.value.trim())
      out.push({ kind: 'field', field, fixed: true, label, message: 'Enter the fixed value' });
  }
  spec.headers.forEach((h, index) => {
    if (h.source.kind === 'column' && !have.has(h.source.column))
      out.push({
        kind: 'header',
        index,
        label: `Header ${index + 1} value`,
        message: `This file has no column “${h.source.column}”`,
      });
  });
  for (const field of ['subject', 'htmlBody', 'textBody'] as const) {
    const label = TEMPLATE_LABELS[field];
    if (field === 'subject' && !spec.subject.trim())
      out.push({ kind: 'template', field, label, message: 'Enter a subject' });
    if (field === 'htmlBody' && !spec.htmlBody.trim())
      out.push({ kind: 'template', field, label, message: 'Write the HTML body: Sendmux requires one' });
    const { tags, unknown } = templateVariables(spec[field], columns);
    for (const name of unknown)
      if (tags.some((t) => t.name === name && t.fallback === null))
        out.push({
          kind: 'template',
          field,
          label,
          message: `{{${name}}} matches no column: fix the name or add a fallback, like {{${name}|…}}`,
        });
  }
  return out;
}
