'use client';

import { ArrowLeft, ArrowRight, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { ErrorSummary, type SummaryItem } from '@/components/error-summary';
import { KeyProfileSelect } from '@/components/send-intent-fields';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { CsvTable } from '@/lib/mail-merge/csv';
import {
  FIELD_LABELS,
  MAPPED_FIELDS,
  missingColumns,
  type BatchSpec,
  type MappedField,
} from '@/lib/mail-merge/mapping';
import { mappingProblems, type MappingProblem } from '@/lib/mail-merge/mapping-check';
import type { KeyProfileSummary } from '@/lib/sendmux/profiles';
import type { TemplateSummary } from '@/lib/templates/store';
import { BatchAttachments } from './batch-attachments';
import { ContentTemplates } from './content-templates';
import { HeadersEditor } from './headers-editor';
import { LoadTemplateDialog } from './load-template-dialog';
import { SourceControl } from './source-control';
import type { UpdateSpec } from './wizard-types';

const FIELD_HINTS: Partial<Record<MappedField, string>> = {
  toEmail: 'Required: one address per row',
  fromEmail: 'Required: usually a fixed value',
  cc: 'Addresses separated by , or ;',
  bcc: 'Addresses separated by , or ;',
  returnPath: 'Optional envelope sender',
};

const problemFieldId = (p: MappingProblem) =>
  p.kind === 'field'
    ? `map-${p.field}${p.fixed ? '-fixed' : ''}`
    : p.kind === 'header'
      ? `header-${p.index}-source`
      : `template-${p.field}`;

/** Step 2: every message field from a column or a fixed value, the content templates and attachments. */
export function MappingStep({
  parsed,
  spec,
  updateSpec,
  profile,
  onProfile,
  profiles,
  templates,
  onBack,
  onNext,
}: {
  parsed: CsvTable;
  spec: BatchSpec;
  updateSpec: UpdateSpec;
  profile: string;
  onProfile: (profile: string) => void;
  profiles: KeyProfileSummary[];
  templates: TemplateSummary[];
  onBack: () => void;
  onNext: () => void;
}) {
  const { columns } = parsed;
  const sample = parsed.rows.at(0)?.values;
  const missing = missingColumns(spec, columns);
  // Problems show once Next was pressed, and update as they are fixed.
  const [attempt, setAttempt] = useState(0);
  const problems = mappingProblems(spec, columns);
  const summary: SummaryItem[] = attempt
    ? problems.map((p) => ({ fieldId: problemFieldId(p), label: p.label, message: p.message }))
    : [];

  return (
    <div className="grid gap-5">
      <ErrorSummary
        title={`Fix ${summary.length === 1 ? 'this' : `these ${summary.length}`} before the preview`}
        items={summary}
        attempt={attempt}
      />
      <Card aria-labelledby="mapping-heading">
        <CardHeader>
          <CardTitle id="mapping-heading" tabIndex={-1} data-step-heading>
            2. Map the columns
          </CardTitle>
          <CardDescription>
            Every message field takes a column of the file or a fixed value. Columns whose names say what they
            hold were mapped for you.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <div className="flex flex-wrap items-end gap-3">
            <KeyProfileSelect
              id="batch-profile"
              className="w-72"
              profiles={profiles}
              value={profile}
              onChange={onProfile}
            />
            <LoadTemplateDialog templates={templates} updateSpec={updateSpec} />
          </div>
          {missing.length ? (
            <p role="alert" className="text-destructive flex items-start gap-2 text-sm">
              <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
              The mapping uses {missing.map((m) => `“${m}”`).join(', ')}, which this file does not have.
              Choose other columns below.
            </p>
          ) : null}
          <fieldset className="grid gap-4">
            <legend className="mb-3 text-sm font-semibold">Sender and recipients</legend>
            <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
              {MAPPED_FIELDS.map((field) => (
                <SourceControl
                  key={field}
                  id={`map-${field}`}
                  label={FIELD_LABELS[field]}
                  hint={FIELD_HINTS[field]}
                  required={field === 'toEmail' || field === 'fromEmail'}
                  source={spec.fields[field]}
                  columns={columns}
                  sample={sample}
                  onChange={(source) =>
                    updateSpec((s) => ({ ...s, fields: { ...s.fields, [field]: source } }))
                  }
                />
              ))}
            </div>
          </fieldset>
          <HeadersEditor spec={spec} updateSpec={updateSpec} columns={columns} sample={sample} />
        </CardContent>
      </Card>

      <ContentTemplates spec={spec} updateSpec={updateSpec} columns={columns} />

      <BatchAttachments spec={spec} updateSpec={updateSpec} profile={profile} />

      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" onClick={onBack}>
          <ArrowLeft aria-hidden /> Back to upload
        </Button>
        <Button
          type="button"
          onClick={() => {
            if (problems.length) setAttempt((n) => n + 1);
            else onNext();
          }}
        >
          Next: preview and check every row <ArrowRight aria-hidden />
        </Button>
      </div>
    </div>
  );
}
