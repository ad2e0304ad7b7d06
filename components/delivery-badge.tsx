import { CheckCircle2, Clock, MailWarning, OctagonX, ShieldAlert, CircleDashed } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { OUTCOME_LABEL, type DeliveryOutcome } from '@/lib/delivery-status/status';

const VARIANT = {
  delivered: 'success',
  bounced: 'destructive',
  complained: 'destructive',
  rejected: 'destructive',
  delayed: 'warning',
  none: 'muted',
} as const;

const ICON = {
  delivered: CheckCircle2,
  bounced: MailWarning,
  complained: ShieldAlert,
  rejected: OctagonX,
  delayed: Clock,
  none: CircleDashed,
} as const;

/** A message's delivery status as every page shows it: the word, its icon, and the colour. */
export function DeliveryBadge({ status, className }: { status: DeliveryOutcome; className?: string }) {
  const Icon = ICON[status];
  return (
    <Badge variant={VARIANT[status]} className={className} data-delivery-status={status}>
      <Icon className="size-3" aria-hidden />
      {OUTCOME_LABEL[status]}
    </Badge>
  );
}
