import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/require-role';
import { listTemplates } from '@/lib/templates/store';
import { getEnv } from '@/lib/env';
import { randomId } from '@/lib/ids';
import { listKeyProfiles } from '@/lib/sendmux/profiles';
import { NewBatchTabs } from './new-batch-tabs';

export const metadata: Metadata = { title: 'New batch' };

export default async function NewBatchPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireRole('sender');
  const tab = (await searchParams).tab === 'manual' ? 'manual' : 'csv';
  return (
    <>
      <PageHeader
        title="New batch"
        description="Send one personalised message per CSV row, or up to 100 messages you write yourself in one request. Nothing is sent until you confirm."
      />
      <NewBatchTabs
        initialTab={tab}
        profiles={listKeyProfiles()}
        templates={await listTemplates()}
        sandbox={getEnv().sandboxServed}
        manualKey={`manual-${randomId(20)}`}
      />
    </>
  );
}
