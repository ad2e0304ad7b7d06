'use client';

import { useMemo, type Dispatch } from 'react';
import { preflight } from '@/lib/mail-merge/preflight';
import type { KeyProfileSummary } from '@/lib/sendmux/profiles';
import type { TemplateSummary } from '@/lib/templates/store';
import { MappingStep } from './mapping-step';
import { PreviewStep } from './preview-step';
import { SendStep } from './send-step';
import type { WizardAction, WizardState } from './wizard-state';
import type { StepId, UpdateSpec } from './wizard-types';

/** Steps 2 to 4, once a file is loaded: mapping, preview with the preflight of every row, and send. */
export function WizardSteps({
  state,
  dispatch,
  profiles,
  templates,
}: {
  state: WizardState;
  dispatch: Dispatch<WizardAction>;
  profiles: KeyProfileSummary[];
  templates: TemplateSummary[];
}) {
  const { step, loaded, spec, profile } = state;
  const result = useMemo(
    () =>
      loaded && (step === 'preview' || step === 'send') ? preflight(loaded.parsed, spec, { profile }) : null,
    [loaded, spec, profile, step],
  );
  if (!loaded) return null;
  const updateSpec: UpdateSpec = (update) => dispatch({ type: 'updateSpec', update });
  const goTo = (to: StepId) => dispatch({ type: 'goTo', step: to });

  if (step === 'mapping')
    return (
      <MappingStep
        parsed={loaded.parsed}
        spec={spec}
        updateSpec={updateSpec}
        profile={profile}
        onProfile={(p) => dispatch({ type: 'setProfile', profile: p })}
        profiles={profiles}
        templates={templates}
        onBack={() => goTo('upload')}
        onNext={() => goTo('preview')}
      />
    );
  if (!result) return null;
  if (step === 'preview')
    return (
      <PreviewStep
        parsed={loaded.parsed}
        spec={spec}
        updateSpec={updateSpec}
        onExclude={(lines, exclude) => dispatch({ type: 'exclude', lines, exclude })}
        result={result}
        onBack={() => goTo('mapping')}
        onNext={() => goTo('send')}
      />
    );
  return (
    <SendStep
      loaded={loaded}
      spec={spec}
      profile={profile}
      profiles={profiles}
      jobName={state.jobName}
      onJobName={(jobName) => dispatch({ type: 'setJobName', jobName })}
      result={result}
      onBack={() => goTo('preview')}
      onGoTo={goTo}
    />
  );
}
