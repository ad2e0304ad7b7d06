'use client';

import { Check } from 'lucide-react';
import Papa from 'papaparse';
import { useMemo, useRef, useState } from 'react';
import { parseChunkIdempotencyKey } from '@/lib/mail-merge/chunking';
import { decodeCsvBytes, type CsvDelimiter, type ParsedCsv } from '@/lib/mail-merge/csv';
import {
  autoMap,
  emptyBatchSpec,
  MAPPED_FIELDS,
  missingColumns,
  type BatchSpec,
} from '@/lib/mail-merge/mapping';
import { preflight } from '@/lib/mail-merge/preflight';
import { parseResultsCsv, RESULT_COLUMNS } from '@/lib/mail-merge/results-csv';
import type { TemplateSummary } from '@/lib/templates/store';
import { cn } from '@/lib/cn';
import { MAX_CSV_BYTES } from '@/lib/schemas/batch';
import { findResultsJobAction, type ResultsJob } from './actions';
import { MappingStep } from './mapping-step';
import type { ProfileChoice } from './new-batch-tabs';
import { hasUtf8Bom, parseCsvFile } from './parse-csv-file';
import { PreviewStep } from './preview-step';
import { SendStep } from './send-step';
import { UploadStep } from './upload-step';
import type { Notice } from '@/components/notice-alert';
import { formatBytes } from '@/lib/format/display';

export type LoadedCsv = {
  file: File;
  parsed: ParsedCsv;
  encoding: 'utf-8' | 'windows-1252';
  bom: boolean;
  /** null: detected from the file. */
  delimiterChoice: CsvDelimiter | null;
};

export type ResultsOffer = {
  fileName: string;
  total: number;
  failed: ParsedCsv;
  job: ResultsJob;
};

const STEPS = [
  { id: 'upload', label: 'Upload' },
  { id: 'mapping', label: 'Mapping' },
  { id: 'preview', label: 'Preview & preflight' },
  { id: 'send', label: 'Send' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];

const ACCEPTED = /\.(csv|tsv|txt)$/i;

function looksLikeResults(columns: readonly string[]): boolean {
  const n = columns.length - RESULT_COLUMNS.length;
  return n >= 0 && RESULT_COLUMNS.every((name, i) => new RegExp(`^${name}(_\\d+)?$`).test(columns[n + i]!));
}

/** The job a results CSV came from, read from the idempotency keys of its rows (job:<id>:chunk:…). */
function jobIdOf(parsed: ParsedCsv): string | null {
  const keyColumn = parsed.columns[parsed.columns.length - 1]!;
  for (const row of parsed.rows) {
    const key = parseChunkIdempotencyKey((row.values[keyColumn] ?? '').trim());
    if (key) return key.jobId;
  }
  return null;
}

export function CsvWizard({
  profiles,
  templates,
}: {
  profiles: ProfileChoice[];
  templates: TemplateSummary[];
}) {
  const [step, setStep] = useState<StepId>('upload');
  const [loaded, setLoaded] = useState<LoadedCsv | null>(null);
  const [spec, setSpec] = useState<BatchSpec>(emptyBatchSpec);
  const [profile, setProfile] = useState(profiles[0]?.name ?? '');
  const [jobName, setJobName] = useState('');
  const [parsing, setParsing] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [resultsOffer, setResultsOffer] = useState<ResultsOffer | null>(null);
  const parseToken = useRef(0);

  async function load(
    file: File,
    delimiter: CsvDelimiter | null = null,
    options: { fromResults?: boolean } = {},
  ) {
    setUploadError(null);
    if (!ACCEPTED.test(file.name)) {
      setUploadError(`${file.name} is not a .csv, .tsv or .txt file`);
      return;
    }
    if (file.size > MAX_CSV_BYTES) {
      setUploadError(
        `${file.name} is ${formatBytes(file.size)}; files up to ${MAX_CSV_BYTES / 1_000_000} MB are accepted. Split it into parts and send each as its own batch.`,
      );
      return;
    }
    if (file.size === 0) {
      setUploadError(`${file.name} is empty`);
      return;
    }
    const token = ++parseToken.current;
    setParsing(true);
    const [response, bom] = await Promise.all([
      parseCsvFile(file, delimiter ?? undefined),
      hasUtf8Bom(file).catch(() => false),
    ]);
    if (token !== parseToken.current) return;
    setParsing(false);
    if (!response.ok) {
      setUploadError(`${file.name} could not be read: ${response.message}`);
      return;
    }
    const parsed = response.result;
    const previous = loaded;
    const sameFile = previous?.file === file;
    setLoaded({ file, parsed, encoding: response.encoding, bom, delimiterChoice: delimiter });
    if (!sameFile)
      setJobName(`${file.name.replace(/\.[^.]+$/, '')} — ${new Date().toISOString().slice(0, 10)}`);

    // A new file keeps the mapping; fields still unset are filled from matching column names.
    const auto = autoMap(parsed.columns);
    const fields = { ...spec.fields };
    for (const f of MAPPED_FIELDS) if (!fields[f] && auto.fields[f]) fields[f] = auto.fields[f];
    const next: BatchSpec = {
      ...spec,
      fields,
      headers: spec.headers.length ? spec.headers : auto.headers,
      excludedLines: sameFile ? spec.excludedLines : [],
    };
    setSpec(next);
    if (previous && !sameFile) {
      const lines: string[] = [];
      const missing = missingColumns(next, parsed.columns);
      if (missing.length)
        lines.push(
          `The mapping uses ${missing.map((m) => `“${m}”`).join(', ')}, which this file does not have: choose other columns on the Mapping step.`,
        );
      if (spec.excludedLines.length)
        lines.push(
          `The ${spec.excludedLines.length} excluded ${spec.excludedLines.length === 1 ? 'line was' : 'lines were'} included again: line numbers refer to the old file.`,
        );
      setNotice({
        tone: lines.length ? 'warning' : 'default',
        title: `Loaded ${file.name}; your mapping and templates were kept`,
        lines,
      });
    } else if (!previous) setNotice(null);

    setResultsOffer(null);
    if (!options.fromResults && looksLikeResults(parsed.columns)) {
      const text = decodeCsvBytes(new Uint8Array(await file.arrayBuffer())).text;
      const results = parseResultsCsv(text);
      if (results.ok && token === parseToken.current) {
        const jobId = jobIdOf(parsed);
        const job = jobId ? await findResultsJobAction({ jobId }).then((r) => (r.ok ? r.data : null)) : null;
        if (token === parseToken.current)
          setResultsOffer({ fileName: file.name, total: results.rows.length, failed: results.failed, job });
      }
    }
  }

  function loadFailedRows(offer: ResultsOffer) {
    const { columns, rows } = offer.failed;
    const text = Papa.unparse(
      { fields: columns, data: rows.map((r) => columns.map((c) => r.values[c] ?? '')) },
      { newline: '\r\n' },
    );
    const file = new File([text], offer.fileName.replace(/(\.[^.]+)?$/, '-failed-rows.csv'), {
      type: 'text/csv',
    });
    void load(file, ',', { fromResults: true });
  }

  const preflightResult = useMemo(
    () =>
      loaded && (step === 'preview' || step === 'send') ? preflight(loaded.parsed, spec, { profile }) : null,
    [loaded, spec, profile, step],
  );

  const reachable = (id: StepId) => id === 'upload' || loaded !== null;
  const index = STEPS.findIndex((s) => s.id === step);

  return (
    <div className="grid gap-5">
      <nav aria-label="Steps of the mail merge">
        <ol className="flex flex-wrap gap-2">
          {STEPS.map((s, i) => {
            const current = s.id === step;
            const done = i < index;
            return (
              <li key={s.id}>
                <button
                  type="button"
                  disabled={!reachable(s.id)}
                  aria-current={current ? 'step' : undefined}
                  onClick={() => setStep(s.id)}
                  className={cn(
                    'flex items-center gap-2 rounded-full border px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50',
                    current ? 'border-primary bg-primary text-primary-foreground' : 'bg-card hover:bg-accent',
                  )}
                >
                  <span
                    className={cn(
                      'flex size-5 items-center justify-center rounded-full text-xs',
                      current
                        ? 'bg-primary-foreground/20'
                        : done
                          ? 'bg-success/15 text-success'
                          : 'bg-muted text-muted-foreground',
                    )}
                    aria-hidden
                  >
                    {done ? <Check className="size-3" /> : i + 1}
                  </span>
                  {s.label}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>

      {step === 'upload' ? (
        <UploadStep
          loaded={loaded}
          parsing={parsing}
          error={uploadError}
          notice={notice}
          resultsOffer={resultsOffer}
          onFile={(file) => void load(file)}
          onDelimiter={(d) => loaded && void load(loaded.file, d)}
          onLoadFailedRows={loadFailedRows}
          onDismissResults={() => setResultsOffer(null)}
          onNext={() => setStep('mapping')}
        />
      ) : null}
      {step === 'mapping' && loaded ? (
        <MappingStep
          parsed={loaded.parsed}
          spec={spec}
          setSpec={setSpec}
          profile={profile}
          setProfile={setProfile}
          profiles={profiles}
          templates={templates}
          onBack={() => setStep('upload')}
          onNext={() => setStep('preview')}
        />
      ) : null}
      {step === 'preview' && loaded && preflightResult ? (
        <PreviewStep
          parsed={loaded.parsed}
          spec={spec}
          setSpec={setSpec}
          result={preflightResult}
          onBack={() => setStep('mapping')}
          onNext={() => setStep('send')}
        />
      ) : null}
      {step === 'send' && loaded && preflightResult ? (
        <SendStep
          loaded={loaded}
          spec={spec}
          profile={profile}
          profiles={profiles}
          jobName={jobName}
          setJobName={setJobName}
          result={preflightResult}
          onBack={() => setStep('preview')}
          onGoTo={setStep}
        />
      ) : null}
    </div>
  );
}
