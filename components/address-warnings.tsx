import { MailWarning } from 'lucide-react';
import Link from 'next/link';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { eventHref, type AddressWarning } from '@/lib/delivery-status/status';
import { formatUtc } from '@/lib/format/display';

/** Addresses that bounced permanently or complained before: a warning, never a block. */
export function AddressWarnings({
  warnings,
  title,
  lines,
  children,
}: {
  warnings: AddressWarning[];
  title: string;
  /** CSV lines per address, for preflight's per-row warnings. */
  lines?: ReadonlyMap<string, number[]>;
  children?: React.ReactNode;
}) {
  if (warnings.length === 0) return null;
  return (
    <Alert variant="warning" role="status" aria-label={title}>
      <MailWarning aria-hidden />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription className="grid gap-2">
        <ul className="grid gap-1">
          {warnings.slice(0, 20).map((w) => (
            <li key={w.address}>
              {lines?.get(w.address)?.length ? (
                <span className="text-muted-foreground">
                  line{lines.get(w.address)!.length > 1 ? 's' : ''} {lines.get(w.address)!.join(', ')}:{' '}
                </span>
              ) : null}
              <strong className="font-medium">{w.address}</strong> —{' '}
              {w.kind === 'complained' ? 'marked your mail as spam' : 'bounced'}: {w.detail} on{' '}
              {formatUtc(w.occurredAt)} ·{' '}
              <Link href={eventHref(w.eventId)} className="underline underline-offset-2">
                see the event
              </Link>
            </li>
          ))}
          {warnings.length > 20 ? <li>…and {warnings.length - 20} more.</li> : null}
        </ul>
        {children}
      </AlertDescription>
    </Alert>
  );
}
