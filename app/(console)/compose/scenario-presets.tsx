'use client';

import { FlaskConical } from 'lucide-react';
import { Button } from '@/components/ui/button';

export type ScenarioPreset = { label: string; to: string; description: string };

/** In sandbox mode: one click puts a To address that makes the sandbox answer with a given failure. */
export function ScenarioPresets({
  presets,
  onPick,
}: {
  presets: ScenarioPreset[];
  onPick: (p: ScenarioPreset) => void;
}) {
  if (!presets.length) return null;
  return (
    <div className="grid gap-1.5">
      <p className="flex items-center gap-1.5 text-sm font-medium" id="presets-label">
        <FlaskConical className="size-4" aria-hidden /> Sandbox scenarios
      </p>
      <div className="flex flex-wrap gap-1.5" role="group" aria-labelledby="presets-label">
        {presets.map((p) => (
          <Button
            key={p.label}
            type="button"
            size="sm"
            variant="secondary"
            title={p.description}
            onClick={() => onPick(p)}
          >
            {p.label}
          </Button>
        ))}
      </div>
    </div>
  );
}
