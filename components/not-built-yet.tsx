import { Construction } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';

export function NotBuiltYet({ what }: { what: string }) {
  return (
    <Alert>
      <Construction aria-hidden />
      <AlertTitle>Not built yet</AlertTitle>
      <AlertDescription>{what}</AlertDescription>
    </Alert>
  );
}
