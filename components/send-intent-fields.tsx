'use client';

import { ExternalLink, KeyRound } from 'lucide-react';
import Link from 'next/link';
import { FormField } from '@/components/form-field';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import type { KeyProfileSummary } from '@/lib/sendmux/profiles';

/**
 * The idempotency key of a send intent, shown and editable, with copy and "New key". Every retry
 * of the intent reuses it, so a double click or a retry after a timeout cannot send twice.
 */
export function IdempotencyKeyField({
  id,
  value,
  error,
  onChange,
  onNewKey,
}: {
  id: string;
  value: string;
  error: string | null;
  onChange: (value: string) => void;
  onNewKey: () => void;
}) {
  return (
    <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-end @md:grid-cols-[minmax(0,1fr)_auto] @md:items-end">
      <FormField
        id={id}
        label="Idempotency key"
        hint="Every retry reuses it: no double sends"
        error={error ?? undefined}
      >
        <Input
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className="font-mono text-xs"
          spellCheck={false}
        />
      </FormField>
      <div className="flex gap-1">
        <CopyButton value={value} label="Copy idempotency key" />
        <Button type="button" variant="outline" onClick={onNewKey}>
          <KeyRound aria-hidden /> New key
        </Button>
      </div>
    </div>
  );
}

/** The key profile to send with; shown only when there is a choice. */
export function KeyProfileSelect({
  id,
  profiles,
  value,
  className,
  onChange,
}: {
  id: string;
  profiles: KeyProfileSummary[];
  value: string;
  className?: string;
  onChange: (profile: string) => void;
}) {
  if (profiles.length < 2) return null;
  return (
    <FormField id={id} label="Key profile" hint="Routing follows the key" className={className}>
      <NativeSelect value={value} onChange={(e) => onChange(e.target.value)}>
        {profiles.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name} ({p.maskedKey})
          </option>
        ))}
      </NativeSelect>
    </FormField>
  );
}

/** After a send: open its entry in the request log, or start a new intent to send again on purpose. */
export function SendResultActions({ logId, onNewKey }: { logId: number; onNewKey: () => void }) {
  return (
    <div className="mt-3 flex flex-wrap gap-2">
      <Button asChild variant="outline" size="sm">
        <Link href={`/requests/${logId}`}>
          Open in the request log <ExternalLink aria-hidden />
        </Link>
      </Button>
      <Button type="button" variant="outline" size="sm" onClick={onNewKey}>
        <KeyRound aria-hidden /> New key for another send
      </Button>
    </div>
  );
}
