'use client';

import { Loader2, Send } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { sendTestEventAction } from './actions';

export function SendTestEventButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await sendTestEventAction({ confirm: true });
          if (!result.ok) return void toast.error(result.error.message);
          toast.success(`Test event ${result.data.eventId} queued: it is posted within a second`);
          // The post happens right after; show its outcome once it has.
          setTimeout(() => router.refresh(), 1500);
        })
      }
    >
      {pending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
      Send test event
    </Button>
  );
}
