'use client';

import { useQuery } from '@tanstack/react-query';
import { Ban } from 'lucide-react';
import { useMemo } from 'react';
import { AddressWarnings } from '@/components/address-warnings';
import { QueryProvider } from '@/components/query-provider';
import { Button } from '@/components/ui/button';
import { fetchAddressWarnings } from '@/lib/delivery-status/status';
import type { PreflightResult } from '@/lib/mail-merge/preflight';
import { historyAddresses, linesOfAddresses } from './history-addresses';

/**
 * Rows whose To address bounced permanently or complained before, found by asking the console
 * about this file's addresses (a slice at a time). A warning with a one-click exclude, never a block.
 */
export function DeliveryHistory(props: {
  result: PreflightResult;
  onExclude: (lines: readonly number[]) => void;
}) {
  return (
    <QueryProvider>
      <History {...props} />
    </QueryProvider>
  );
}

function History({
  result,
  onExclude,
}: {
  result: PreflightResult;
  onExclude: (lines: readonly number[]) => void;
}) {
  const addresses = useMemo(() => historyAddresses(result), [result]);
  const { data } = useQuery({
    queryKey: ['preflight-delivery-history', addresses.fingerprint],
    queryFn: ({ signal }) => fetchAddressWarnings(addresses.list, signal),
    enabled: addresses.list.length > 0,
    staleTime: 60_000,
  });
  const linesByAddress = useMemo(
    () => linesOfAddresses(result, new Set(data?.map((w) => w.address))),
    [result, data],
  );
  if (!data?.length) return null;
  const lines = data.flatMap((w) => linesByAddress.get(w.address) ?? []).sort((a, b) => a - b);
  return (
    <AddressWarnings
      warnings={data}
      lines={linesByAddress}
      title={`${lines.length} row${lines.length === 1 ? ' goes' : 's go'} to addresses that bounced or complained before`}
    >
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" size="sm" variant="outline" onClick={() => onExclude(lines)}>
          <Ban aria-hidden /> Exclude the {lines.length} previously bounced/complained row
          {lines.length === 1 ? '' : 's'}
        </Button>
        <span className="text-muted-foreground">Or send anyway: Sendmux decides what it delivers.</span>
      </div>
    </AddressWarnings>
  );
}
