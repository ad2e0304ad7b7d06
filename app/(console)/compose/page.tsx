import type { Metadata } from 'next';
import { z } from 'zod';
import { requireRole } from '@/lib/auth/require-role';
import { listTemplates } from '@/lib/templates/store';
import { getEnv } from '@/lib/env';
import { loadComposeDraftFromJobRow, loadComposeDraftFromRequest } from '@/lib/requests/open-in-compose';
import { jobIdSchema } from '@/lib/schemas/batch';
import { listKeyProfiles } from '@/lib/sendmux/profiles';
import { ComposeClient } from './compose-client';
import type { ScenarioPreset } from './scenario-presets';

export const metadata: Metadata = { title: 'Compose' };

const SANDBOX_PRESETS: ScenarioPreset[] = [
  {
    label: 'Queued',
    to: 'queued@example.com',
    description:
      'The sandbox accepts the message: status queued with a message_id, and it lands in the outbox',
  },
  {
    label: 'Simulate 422',
    to: 'fail+validation_error@example.com',
    description: 'Sendmux rejects the message: 422 validation_error on to.email',
  },
  {
    label: '503 then success',
    to: 'flaky+503@example.com',
    description: 'The first attempt gets 503 service_unavailable; the retry with the same key succeeds',
  },
  {
    label: 'Insufficient credits',
    to: 'fail+insufficient_credits@example.com',
    description: '402 insufficient_credits',
  },
  {
    label: 'Rate limited',
    to: 'fail+429@example.com',
    description: '429 rate_limit_exceeded with Retry-After: 1, every attempt',
  },
  { label: 'Slow (3 s)', to: 'slow+3000@example.com', description: 'The sandbox answers after 3 seconds' },
  {
    label: 'Dropped connection',
    to: 'drop+once@example.com',
    description: 'The first attempt loses its connection; the retry succeeds',
  },
];

const searchSchema = z.object({
  from: z.coerce.number().int().positive().optional(),
  index: z.coerce.number().int().nonnegative().optional(),
  job: jobIdSchema.optional(),
  row: z.coerce.number().int().positive().optional(),
});

/** "Open in Compose" from a logged request (?from=<entry>&index=<i>) or a batch job's row (?job=<id>&row=<n>). */
async function loadSource(search: z.infer<typeof searchSchema>) {
  if (search.from) {
    const draft = await loadComposeDraftFromRequest(search.from, search.index);
    return draft ? { ...draft, source: `the request log (request #${search.from})` } : null;
  }
  if (search.job && search.row) return loadComposeDraftFromJobRow(search.job, search.row);
  return null;
}

export default async function ComposePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireRole('sender');
  const env = getEnv();
  const search = searchSchema.safeParse(await searchParams);
  const from = search.success ? await loadSource(search.data) : null;
  return (
    <ComposeClient
      userId={user.id}
      profiles={listKeyProfiles()}
      apiUrl={env.sendmuxApiUrl}
      templates={await listTemplates()}
      presets={env.sandboxServed ? SANDBOX_PRESETS : []}
      fromRequest={from}
    />
  );
}
