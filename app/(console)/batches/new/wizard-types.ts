import type { CsvTable, ParsedCsv } from '@/lib/mail-merge/csv';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';
import type { BatchSpec } from '@/lib/mail-merge/mapping';
import type { ResultsJob } from './actions';

// The CSV wizard's shared shapes, apart from its components so that no step imports another.

export type LoadedCsv = {
  file: File;
  parsed: CsvTable;
  encoding: 'utf-8' | 'windows-1252';
  bom: boolean;
  /** null: detected from the file. */
  delimiterChoice: CsvDelimiter | null;
};

/** A results CSV was loaded: offer to retry its job's failed rows or load them as a new file. */
export type ResultsOffer = {
  fileName: string;
  total: number;
  failed: ParsedCsv;
  job: ResultsJob;
};

export const STEPS = [
  { id: 'upload', label: 'Upload' },
  { id: 'mapping', label: 'Mapping' },
  { id: 'preview', label: 'Preview & preflight' },
  { id: 'send', label: 'Send' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];

/** How a step changes the batch spec: a pure update of the current spec. */
export type UpdateSpec = (update: (spec: BatchSpec) => BatchSpec) => void;
