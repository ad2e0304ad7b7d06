'use client';

import { FileSpreadsheet, ListPlus } from 'lucide-react';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import type { KeyProfileSummary } from '@/lib/sendmux/profiles';
import type { TemplateSummary } from '@/lib/templates/store';
import { CsvWizard } from './csv-wizard';

// Loaded when its tab is first opened: its form, zod and react-hook-form are not part of the CSV tab's first load.
const loadManual = () => import('./manual-batch');
const ManualBatch = dynamic(() => loadManual().then((m) => m.ManualBatch));

export function NewBatchTabs({
  initialTab,
  profiles,
  templates,
  sandbox,
  manualKey,
}: {
  initialTab: 'csv' | 'manual';
  profiles: KeyProfileSummary[];
  templates: TemplateSummary[];
  sandbox: boolean;
  manualKey: string;
}) {
  const [tab, setTab] = useState(initialTab);
  const [manualOpened, setManualOpened] = useState(initialTab === 'manual');
  return (
    <Tabs
      value={tab}
      onValueChange={(v) => {
        const next = v === 'manual' ? 'manual' : 'csv';
        setTab(next);
        if (next === 'manual') setManualOpened(true);
        window.history.replaceState(null, '', next === 'manual' ? '?tab=manual' : window.location.pathname);
      }}
    >
      <TabsList aria-label="Kind of batch">
        <TabsTrigger value="csv">
          <FileSpreadsheet className="size-4" aria-hidden /> CSV mail merge
        </TabsTrigger>
        <TabsTrigger
          value="manual"
          onPointerEnter={() => void loadManual()}
          onFocus={() => void loadManual()}
        >
          <ListPlus className="size-4" aria-hidden /> Manual batch
        </TabsTrigger>
      </TabsList>
      {/* Both stay mounted once opened, so that switching tabs loses nothing typed or uploaded. */}
      <TabsContent value="csv" forceMount className="mt-5 data-[state=inactive]:hidden">
        <CsvWizard profiles={profiles} templates={templates} />
      </TabsContent>
      <TabsContent value="manual" forceMount className="mt-5 data-[state=inactive]:hidden">
        {manualOpened ? <ManualBatch profiles={profiles} sandbox={sandbox} initialKey={manualKey} /> : null}
      </TabsContent>
    </Tabs>
  );
}
