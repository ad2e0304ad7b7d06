import { History } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';

/** What the page restored or loaded for the user (a draft, a template, a request), and what they must redo. */
export type Notice = { tone: 'default' | 'warning'; title: string; lines: string[] };

export function NoticeAlert({ notice }: { notice: Notice }) {
  return (
    <Alert variant={notice.tone === 'warning' ? 'warning' : 'default'}>
      <History aria-hidden />
      <AlertTitle>{notice.title}</AlertTitle>
      {notice.lines.length ? (
        <AlertDescription>
          <ul className="list-disc pl-4">
            {notice.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </AlertDescription>
      ) : null}
    </Alert>
  );
}
