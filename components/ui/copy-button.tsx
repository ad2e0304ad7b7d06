'use client';

import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from './button';

/** Copies `value`; the accessible name says what is copied ("Copy request_id"). */
export function CopyButton({
  value,
  label,
  size = 'icon-sm',
  children,
}: {
  value: string;
  label: string;
  size?: 'icon-sm' | 'sm';
  children?: React.ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      toast.error('The browser refused clipboard access. Select the text and copy it by hand.');
    }
  }
  return (
    <Button
      type="button"
      variant={children ? 'outline' : 'ghost'}
      size={children ? 'sm' : size}
      onClick={copy}
      aria-label={children ? undefined : label}
      title={label}
    >
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      {children}
      <span className="sr-only" aria-live="polite">
        {copied ? 'Copied' : ''}
      </span>
    </Button>
  );
}
