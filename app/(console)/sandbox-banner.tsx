import { FlaskConical } from 'lucide-react';
import Link from 'next/link';

export function SandboxBanner({ kind }: { kind: 'sandbox' | 'self' }) {
  return (
    <div
      role="status"
      aria-label="Sandbox mode"
      className="bg-sandbox text-sandbox-foreground flex flex-wrap items-center justify-center gap-x-2 gap-y-1 px-4 py-2 text-center text-sm"
    >
      <FlaskConical className="size-4 shrink-0" aria-hidden />
      {kind === 'sandbox' ? (
        <span>
          <strong>Sandbox mode</strong> — no Sendmux key is configured, so email goes to the built-in sandbox
          and nothing leaves this machine.
        </span>
      ) : (
        <span>
          <strong>Sandbox target</strong> — SENDMUX_API_URL points at this console’s built-in sandbox; nothing
          is delivered.
        </span>
      )}
      <Link href="/sandbox" className="font-medium underline underline-offset-2">
        Open the outbox
      </Link>
    </div>
  );
}
