'use client';

import { DeliveryBadge } from '@/components/delivery-badge';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import type { JobRowDto } from '@/lib/batch/dto';
import { DELIVERY_OUTCOMES, OUTCOME_LABEL, type DeliveryOutcome } from '@/lib/delivery-status/status';

/** The rows table's delivery filter: the outcome Sendmux's events reported, or none yet. */
export function DeliveryFilter({
  value,
  onChange,
}: {
  value: DeliveryOutcome | undefined;
  onChange: (value: DeliveryOutcome | undefined) => void;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor="rows-delivery">Delivery</Label>
      <NativeSelect
        id="rows-delivery"
        className="w-40"
        value={value ?? ''}
        onChange={(e) => onChange((e.target.value || undefined) as DeliveryOutcome | undefined)}
      >
        <option value="">Any delivery</option>
        {DELIVERY_OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {OUTCOME_LABEL[o]}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}

/** A queued row's delivery status under its send status. */
export function RowDelivery({ row }: { row: JobRowDto }) {
  if (row.status !== 'queued') return null;
  return (
    <span title={row.delivery ? `${row.delivery.detail} · ${row.delivery.at}` : 'No delivery event yet'}>
      <DeliveryBadge status={row.delivery?.status ?? 'none'} />
    </span>
  );
}
