'use client';

import { useQuery } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { DeliveryBadge } from '@/components/delivery-badge';
import type { DeliveryStatus } from '@/lib/delivery-status/status';
import { formatUtc } from '@/lib/format/display';

type Status = {
  status: DeliveryStatus;
  detail: string;
  at: string;
  eventId: string;
  match: 'id' | 'address';
};

/** How long the panel keeps asking: long enough for a late complaint in the sandbox, not forever. */
const WATCH_MS = 3 * 60_000;

/** The message's delivery status, polled until its events arrive (delivered, bounced, complained…). */
export function DeliveryLive({ messageId, logId }: { messageId: string; logId: number }) {
  const [startedAt] = useState(() => Date.now());
  const { data } = useQuery({
    queryKey: ['delivery', messageId],
    queryFn: async () => {
      const res = await fetch(`/api/delivery/status?id=${encodeURIComponent(messageId)}`, {
        cache: 'no-store',
      });
      if (!res.ok) return null;
      return ((await res.json()) as { statuses: Record<string, Status> }).statuses[messageId] ?? null;
    },
    refetchInterval: (query) => {
      if (Date.now() - startedAt > WATCH_MS) return false;
      const s = query.state.data?.status;
      return !s || s === 'delayed' ? 1000 : 4000;
    },
  });
  return (
    <div
      className="mt-3 grid gap-1 border-t pt-3"
      role="status"
      aria-live="polite"
      aria-label="Delivery status"
    >
      <p className="flex flex-wrap items-center gap-2">
        <span className="text-muted-foreground">delivery</span>
        {data ? (
          <>
            {/* On the panel's green tint the badge's own tint is too faint for its text: a card background keeps the contrast. */}
            <DeliveryBadge status={data.status} className="bg-card border-current/30" />
            <span>{data.detail}</span>
            <span className="text-muted-foreground text-xs">{formatUtc(data.at, true)}</span>
          </>
        ) : (
          <span className="text-muted-foreground inline-flex items-center gap-1.5">
            <Loader2 className="size-3.5 animate-spin" aria-hidden /> Accepted — waiting for the delivery
            event…
          </span>
        )}
      </p>
      {data ? (
        <p className="text-muted-foreground text-xs">
          {data.match === 'address' ? 'Matched by address · ' : ''}
          <Link
            href={`/requests/${logId}#delivery`}
            className="text-primary underline-offset-2 hover:underline"
          >
            Timeline in the request log
          </Link>
        </p>
      ) : null}
    </div>
  );
}
