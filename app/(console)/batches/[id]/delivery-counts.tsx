'use client';

import { useQuery } from '@tanstack/react-query';
import { DeliveryBadge } from '@/components/delivery-badge';
import { Card, CardContent } from '@/components/ui/card';
import { DELIVERY_OUTCOMES, OUTCOME_LABEL, type DeliveryOutcome } from '@/lib/delivery-status/status';
import { formatCount } from '@/lib/format/display';

type Counts = Record<DeliveryOutcome, number>;

/** How the job's queued rows landed, from Sendmux's delivery events; each count filters the rows. */
export function DeliveryCounts({
  jobId,
  queued,
  onShow,
}: {
  jobId: string;
  queued: number;
  onShow: (outcome: DeliveryOutcome) => void;
}) {
  const { data } = useQuery({
    queryKey: ['batch-delivery', jobId, queued],
    queryFn: async () => {
      const res = await fetch(`/api/batches/${jobId}/delivery`, { cache: 'no-store' });
      if (!res.ok) throw new Error(`The console answered ${res.status}`);
      return ((await res.json()) as { counts: Counts }).counts;
    },
    refetchInterval: 3000,
  });
  return (
    <Card className="mb-6" aria-labelledby="delivery-heading">
      <CardContent className="grid gap-3 pt-5">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="delivery-heading" className="text-base font-semibold">
            Delivery
          </h2>
          <p className="text-muted-foreground text-sm">
            What happened to the {formatCount(queued)} queued messages after Sendmux accepted them, from its
            webhook events. Choose a count to see those rows.
          </p>
        </div>
        <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6" aria-label="Delivery counts">
          {DELIVERY_OUTCOMES.map((o) => (
            <li key={o}>
              <button
                type="button"
                onClick={() => onShow(o)}
                className="hover:border-primary/50 grid w-full gap-1 rounded-md border p-2 text-left transition-colors"
                aria-label={`${OUTCOME_LABEL[o]}: ${data ? formatCount(data[o]) : 'loading'} — show these rows`}
              >
                <DeliveryBadge status={o} className="justify-self-start" />
                <span className="text-lg font-semibold tabular-nums" data-testid={`delivery-count-${o}`}>
                  {data ? formatCount(data[o]) : '…'}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}
