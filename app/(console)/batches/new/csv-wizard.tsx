'use client';

import { useReducer, useRef } from 'react';
import type { CsvDelimiter } from '@/lib/mail-merge/csv';
import type { KeyProfileSummary } from '@/lib/sendmux/profiles';
import type { TemplateSummary } from '@/lib/templates/store';
import { hasUtf8Bom, parseCsvFile } from './parse-csv-file';
import { failedRowsFile, resultsOfferFor } from './results-offer';
import { StepNav } from './step-nav';
import { UploadStep } from './upload-step';
import { canReach, csvFileProblem, initialWizardState, wizardReducer } from './wizard-state';
import { WizardSteps } from './wizard-steps';
import type { ResultsOffer } from './wizard-types';

export function CsvWizard({
  profiles,
  templates,
}: {
  profiles: KeyProfileSummary[];
  templates: TemplateSummary[];
}) {
  const [state, dispatch] = useReducer(wizardReducer, profiles[0]?.name ?? '', initialWizardState);
  // A later file (or delimiter) wins over one still being parsed.
  const parseToken = useRef(0);

  async function load(file: File, delimiter: CsvDelimiter | null = null, fromResults = false) {
    const problem = csvFileProblem(file);
    if (problem) {
      dispatch({ type: 'fileRefused', message: problem });
      return;
    }
    const token = ++parseToken.current;
    dispatch({ type: 'parsing' });
    const [response, bom] = await Promise.all([
      parseCsvFile(file, delimiter ?? undefined),
      hasUtf8Bom(file).catch(() => false),
    ]);
    if (token !== parseToken.current) return;
    if (!response.ok) {
      dispatch({ type: 'parseFailed', message: `${file.name} could not be read: ${response.message}` });
      return;
    }
    dispatch({
      type: 'fileLoaded',
      file,
      parsed: response.result,
      encoding: response.encoding,
      bom,
      delimiterChoice: delimiter,
      today: new Date().toISOString().slice(0, 10),
    });
    if (fromResults) return;
    const offer = await resultsOfferFor(file, response.result);
    if (offer && token === parseToken.current) dispatch({ type: 'resultsOffered', offer });
  }

  const loadFailedRows = (offer: ResultsOffer) => void load(failedRowsFile(offer), ',', true);
  const goTo = (step: typeof state.step) => dispatch({ type: 'goTo', step });

  return (
    <div className="grid gap-5">
      <StepNav step={state.step} canReach={(step) => canReach(state, step)} onGoTo={goTo} />
      {state.step === 'upload' ? (
        <UploadStep
          loaded={state.loaded}
          parsing={state.parsing}
          error={state.uploadError}
          notice={state.notice}
          resultsOffer={state.resultsOffer}
          onFile={(file) => void load(file)}
          onDelimiter={(d) => state.loaded && void load(state.loaded.file, d)}
          onLoadFailedRows={loadFailedRows}
          onDismissResults={() => dispatch({ type: 'resultsOffered', offer: null })}
          onNext={() => goTo('mapping')}
        />
      ) : (
        <WizardSteps state={state} dispatch={dispatch} profiles={profiles} templates={templates} />
      )}
    </div>
  );
}
