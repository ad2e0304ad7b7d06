import type { Notice } from '@/components/notice-alert';
import { formatBytes } from '@/lib/format/display';
import type { CsvTable } from '@/lib/mail-merge/csv';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';
import {
  autoMap,
  emptyBatchSpec,
  MAPPED_FIELDS,
  missingColumns,
  type BatchSpec,
} from '@/lib/mail-merge/mapping';
import { MAX_CSV_BYTES } from '@/lib/schemas/batch-values';
import type { LoadedCsv, ResultsOffer, StepId } from './wizard-types';

// The CSV wizard's state and every change to it, as a pure reducer (unit-tested beside it).

export type WizardState = {
  step: StepId;
  loaded: LoadedCsv | null;
  spec: BatchSpec;
  profile: string;
  jobName: string;
  parsing: boolean;
  uploadError: string | null;
  notice: Notice | null;
  resultsOffer: ResultsOffer | null;
};

export type WizardAction =
  | { type: 'goTo'; step: StepId }
  | { type: 'fileRefused'; message: string }
  | { type: 'parsing' }
  | { type: 'parseFailed'; message: string }
  | {
      type: 'fileLoaded';
      file: File;
      parsed: CsvTable;
      encoding: LoadedCsv['encoding'];
      bom: boolean;
      delimiterChoice: CsvDelimiter | null;
      /** YYYY-MM-DD, for the default job name. */
      today: string;
    }
  | { type: 'resultsOffered'; offer: ResultsOffer | null }
  | { type: 'updateSpec'; update: (spec: BatchSpec) => BatchSpec }
  | { type: 'exclude'; lines: readonly number[]; exclude: boolean }
  | { type: 'setProfile'; profile: string }
  | { type: 'setJobName'; jobName: string };

export function initialWizardState(profile: string): WizardState {
  return {
    step: 'upload',
    loaded: null,
    spec: emptyBatchSpec(),
    profile,
    jobName: '',
    parsing: false,
    uploadError: null,
    notice: null,
    resultsOffer: null,
  };
}

const ACCEPTED = /\.(csv|tsv|txt)$/i;

/** Why a file cannot be read as recipients before parsing it, or null. */
export function csvFileProblem(file: { name: string; size: number }): string | null {
  if (!ACCEPTED.test(file.name)) return `${file.name} is not a .csv, .tsv or .txt file`;
  if (file.size > MAX_CSV_BYTES)
    return `${file.name} is ${formatBytes(file.size)}; files up to ${MAX_CSV_BYTES / 1_000_000} MB are accepted. Split it into parts and send each as its own batch.`;
  if (file.size === 0) return `${file.name} is empty`;
  return null;
}

/** Every step but the first needs a file. */
export const canReach = (state: Pick<WizardState, 'loaded'>, step: StepId) =>
  step === 'upload' || state.loaded !== null;

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'goTo':
      return canReach(state, action.step) ? { ...state, step: action.step } : state;
    case 'fileRefused':
      return { ...state, uploadError: action.message };
    case 'parsing':
      return { ...state, parsing: true, uploadError: null };
    case 'parseFailed':
      return { ...state, parsing: false, uploadError: action.message };
    case 'fileLoaded':
      return fileLoaded(state, action);
    case 'resultsOffered':
      return { ...state, resultsOffer: action.offer };
    case 'updateSpec':
      return { ...state, spec: action.update(state.spec) };
    case 'exclude': {
      const set = new Set(state.spec.excludedLines);
      for (const line of action.lines) {
        if (action.exclude) set.add(line);
        else set.delete(line);
      }
      return { ...state, spec: { ...state.spec, excludedLines: [...set].sort((a, b) => a - b) } };
    }
    case 'setProfile':
      return { ...state, profile: action.profile };
    case 'setJobName':
      return { ...state, jobName: action.jobName };
  }
}

/**
 * A new file keeps the mapping and templates; fields still unset are filled from matching column
 * names. Re-reading the same file (another delimiter) keeps the excluded lines too.
 */
function fileLoaded(state: WizardState, action: Extract<WizardAction, { type: 'fileLoaded' }>): WizardState {
  const { file, parsed } = action;
  const previous = state.loaded;
  const sameFile = previous?.file === file;
  const { spec } = state;
  const auto = autoMap(parsed.columns);
  const fields = { ...spec.fields };
  for (const f of MAPPED_FIELDS) if (!fields[f] && auto.fields[f]) fields[f] = auto.fields[f];
  const next: BatchSpec = {
    ...spec,
    fields,
    headers: spec.headers.length ? spec.headers : auto.headers,
    excludedLines: sameFile ? spec.excludedLines : [],
  };

  let notice = state.notice;
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
    notice = {
      tone: lines.length ? 'warning' : 'default',
      title: `Loaded ${file.name}; your mapping and templates were kept`,
      lines,
    };
  } else if (!previous) notice = null;

  return {
    ...state,
    parsing: false,
    loaded: {
      file,
      parsed,
      encoding: action.encoding,
      bom: action.bom,
      delimiterChoice: action.delimiterChoice,
    },
    jobName: sameFile ? state.jobName : `${file.name.replace(/\.[^.]+$/, '')} — ${action.today}`,
    spec: next,
    notice,
    resultsOffer: null,
  };
}
