'use client';

import dynamic from 'next/dynamic';
import { useEffect, useReducer, useRef } from 'react';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';
import type { KeyProfileSummary } from '@/lib/sendmux/profiles';
import type { TemplateSummary } from '@/lib/templates/store';
import { hasUtf8Bom, parseCsvFile } from './parse-csv-file';
import { StepNav } from './step-nav';
import { UploadStep } from './upload-step';
import { canReach, csvFileProblem, initialWizardState, wizardReducer } from './wizard-state';
import type { ResultsOffer } from './wizard-types';

// Steps 2–4 and the results-CSV check (papaparse) load once a file is chosen, not with the page.
const loadSteps = () => import('./wizard-steps');
const WizardSteps = dynamic(() => loadSteps().then((m) => m.WizardSteps));

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
  const root = useRef<HTMLDivElement>(null);
  const shownStep = useRef(state.step);

  // A new step takes focus at its heading, once its (lazily loaded) code has rendered it.
  useEffect(() => {
    if (shownStep.current === state.step || !root.current) return;
    shownStep.current = state.step;
    const container = root.current;
    const focusHeading = () => {
      const heading = container.querySelector<HTMLElement>('[data-step-heading]');
      heading?.focus();
      return !!heading;
    };
    if (focusHeading()) return;
    const observer = new MutationObserver(() => focusHeading() && observer.disconnect());
    observer.observe(container, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [state.step]);

  async function load(file: File, delimiter: CsvDelimiter | null = null, fromResults = false) {
    const problem = csvFileProblem(file);
    if (problem) {
      dispatch({ type: 'fileRefused', message: problem });
      return;
    }
    const token = ++parseToken.current;
    dispatch({ type: 'parsing' });
    void loadSteps();
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
    const { resultsOfferFor } = await import('./results-offer');
    const offer = await resultsOfferFor(file, response.result);
    if (offer && token === parseToken.current) dispatch({ type: 'resultsOffered', offer });
  }

  async function loadFailedRows(offer: ResultsOffer) {
    const { failedRowsFile } = await import('./results-offer');
    await load(failedRowsFile(offer), ',', true);
  }
  const goTo = (step: typeof state.step) => dispatch({ type: 'goTo', step });

  return (
    <div ref={root} className="grid gap-5">
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
          onLoadFailedRows={(offer) => void loadFailedRows(offer)}
          onDismissResults={() => dispatch({ type: 'resultsOffered', offer: null })}
          onNext={() => goTo('mapping')}
        />
      ) : (
        <WizardSteps state={state} dispatch={dispatch} profiles={profiles} templates={templates} />
      )}
    </div>
  );
}
