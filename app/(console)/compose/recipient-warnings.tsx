'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { AddressWarnings } from '@/components/address-warnings';
import { QueryProvider } from '@/components/query-provider';
import { fetchAddressWarnings } from '@/lib/delivery-status/status';
import type { MessageInput } from '@/lib/schemas/message';

/** Flags To/Cc/Bcc addresses with a Permanent bounce or complaint on record, as they are typed. */
export function RecipientWarnings() {
  return (
    <QueryProvider>
      <Warnings />
    </QueryProvider>
  );
}

function Warnings() {
  const { control } = useFormContext<MessageInput>();
  const [to, cc, bcc] = useWatch({ control, name: ['to.email', 'cc', 'bcc'] });
  const list = [to ?? '', ...(cc ?? []).map((r) => r.email), ...(bcc ?? []).map((r) => r.email)]
    .map((a) => a.trim().toLowerCase())
    .filter((a) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a))
    .sort()
    .join(',');
  const [addresses, setAddresses] = useState(list);
  useEffect(() => {
    const t = setTimeout(() => setAddresses(list), 400);
    return () => clearTimeout(t);
  }, [list]);
  const { data } = useQuery({
    queryKey: ['address-warnings', addresses],
    queryFn: ({ signal }) => fetchAddressWarnings(addresses.split(','), signal),
    enabled: addresses !== '',
    staleTime: 30_000,
  });
  if (!addresses || !data?.length) return null;
  return (
    <div className="@xl:col-span-2">
      <AddressWarnings
        warnings={data}
        title={
          data.length === 1
            ? 'This recipient bounced or complained before'
            : `${data.length} recipients bounced or complained before`
        }
      >
        <p className="text-muted-foreground">You can still send: Sendmux decides what it delivers.</p>
      </AddressWarnings>
    </div>
  );
}
