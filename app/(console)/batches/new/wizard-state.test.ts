import { describe, expect, it } from 'vitest';
import { parseCsv } from '@/lib/mail-merge/csv';
import { MAX_CSV_BYTES } from '@/lib/schemas/batch-values';
import {
  canReach,
  csvFileProblem,
  initialWizardState,
  wizardReducer,
  type WizardAction,
  type WizardState,
} from './wizard-state';

const csvFile = (name: string, text: string) => new File([text], name, { type: 'text/csv' });

function loadAction(file: File, text: string, today = '2026-05-01'): WizardAction {
  return {
    type: 'fileLoaded',
    file,
    parsed: parseCsv(text),
    encoding: 'utf-8',
    bom: false,
    delimiterChoice: null,
    today,
  };
}

const run = (state: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, state);

describe('csvFileProblem', () => {
  it('takes .csv, .tsv and .txt files that are neither empty nor too large', () => {
    expect(csvFileProblem({ name: 'people.CSV', size: 10 })).toBeNull();
    expect(csvFileProblem({ name: 'people.tsv', size: MAX_CSV_BYTES })).toBeNull();
    expect(csvFileProblem({ name: 'people.xlsx', size: 10 })).toBe(
      'people.xlsx is not a .csv, .tsv or .txt file',
    );
    expect(csvFileProblem({ name: 'people.csv', size: 0 })).toBe('people.csv is empty');
    expect(csvFileProblem({ name: 'big.csv', size: MAX_CSV_BYTES + 1 })).toMatch(
      /^big\.csv is 238\.4 MB; files up to 250 MB are accepted/,
    );
  });
});

describe('wizardReducer', () => {
  const start = initialWizardState('default');

  it('starts on the upload step and reaches the others only with a file', () => {
    expect(start.step).toBe('upload');
    expect(canReach(start, 'mapping')).toBe(false);
    expect(wizardReducer(start, { type: 'goTo', step: 'preview' })).toBe(start);
    const loaded = run(
      start,
      loadAction(csvFile('a.csv', 'email\nx@example.com\n'), 'email\nx@example.com\n'),
    );
    expect(run(loaded, { type: 'goTo', step: 'send' }).step).toBe('send');
  });

  it('maps columns that say what they hold, and names the job after the file and the day', () => {
    const text = 'Email,Name,X-Campaign\nada@example.com,Ada,spring\n';
    const state = run(start, { type: 'parsing' }, loadAction(csvFile('spring list.csv', text), text));
    expect(state.parsing).toBe(false);
    expect(state.spec.fields.toEmail).toEqual({ kind: 'column', column: 'Email' });
    expect(state.spec.fields.toName).toEqual({ kind: 'column', column: 'Name' });
    expect(state.spec.headers).toEqual([
      { name: 'X-Campaign', source: { kind: 'column', column: 'X-Campaign' } },
    ]);
    expect(state.jobName).toBe('spring list — 2026-05-01');
    expect(state.notice).toBeNull();
  });

  it('keeps the mapping and templates for a new file, says what no longer fits, and forgets exclusions', () => {
    const first = csvFile('first.csv', '');
    const firstText = 'email,name,city\na@example.com,A,Oslo\nb@example.com,B,Rome\n';
    let state = run(
      start,
      loadAction(first, firstText),
      { type: 'updateSpec', update: (s) => ({ ...s, subject: 'Hi {{name}}' }) },
      {
        type: 'updateSpec',
        update: (s) => ({ ...s, fields: { ...s.fields, replyToEmail: { kind: 'column', column: 'city' } } }),
      },
      { type: 'exclude', lines: [3], exclude: true },
      { type: 'setJobName', jobName: 'My job' },
    );
    expect(state.spec.excludedLines).toEqual([3]);

    const secondText = 'email,name\nc@example.com,C\n';
    state = run(state, loadAction(csvFile('second.csv', secondText), secondText, '2026-05-02'));
    expect(state.spec.subject).toBe('Hi {{name}}');
    expect(state.spec.fields.replyToEmail).toEqual({ kind: 'column', column: 'city' });
    expect(state.spec.excludedLines).toEqual([]);
    expect(state.jobName).toBe('second — 2026-05-02');
    expect(state.notice).toEqual({
      tone: 'warning',
      title: 'Loaded second.csv; your mapping and templates were kept',
      lines: [
        'The mapping uses “city”, which this file does not have: choose other columns on the Mapping step.',
        'The 1 excluded line was included again: line numbers refer to the old file.',
      ],
    });
  });

  it('keeps exclusions, job name and notice when the same file is read again with another delimiter', () => {
    const file = csvFile('same.csv', '');
    const text = 'email;name\na@example.com;A\n';
    const state = run(
      start,
      loadAction(file, text),
      { type: 'exclude', lines: [2], exclude: true },
      { type: 'setJobName', jobName: 'Kept' },
      { ...loadAction(file, text, '2030-01-01'), delimiterChoice: ';' } as WizardAction,
    );
    expect(state.spec.excludedLines).toEqual([2]);
    expect(state.jobName).toBe('Kept');
    expect(state.loaded?.delimiterChoice).toBe(';');
    expect(state.notice).toBeNull();
  });

  it('excludes and includes lines, kept sorted and unique', () => {
    const state = run(
      start,
      { type: 'exclude', lines: [9, 3, 5], exclude: true },
      { type: 'exclude', lines: [3, 3], exclude: true },
      { type: 'exclude', lines: [5], exclude: false },
    );
    expect(state.spec.excludedLines).toEqual([3, 9]);
  });

  it('clears a refusal when the next file is read, stops on a failed parse, and drops an old results offer on load', () => {
    const refused = run(start, { type: 'fileRefused', message: 'x.pdf is not a .csv, .tsv or .txt file' });
    expect(refused.uploadError).toMatch(/x\.pdf/);
    const parsing = run(refused, { type: 'parsing' });
    expect(parsing).toMatchObject({ parsing: true, uploadError: null });
    // A refused file does not stop the parse already under way; a failed parse does.
    expect(run(parsing, { type: 'fileRefused', message: 'no' }).parsing).toBe(true);
    expect(run(parsing, { type: 'parseFailed', message: 'bad bytes' })).toMatchObject({
      parsing: false,
      uploadError: 'bad bytes',
    });
    const offered = run(parsing, {
      type: 'resultsOffered',
      offer: { fileName: 'r.csv', total: 1, failed: parseCsv('a\n1\n'), job: null },
    });
    expect(offered.resultsOffer?.fileName).toBe('r.csv');
    const text = 'email\na@example.com\n';
    expect(run(offered, loadAction(csvFile('r.csv', text), text)).resultsOffer).toBeNull();
  });

  it('is pure: the previous state is left as it was', () => {
    const before = structuredClone(start);
    run(start, { type: 'exclude', lines: [1], exclude: true }, { type: 'setProfile', profile: 'marketing' });
    expect(start).toEqual(before);
  });
});
