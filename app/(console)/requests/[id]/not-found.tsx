import Link from 'next/link';
import { SearchX } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { getEnv } from '@/lib/env';

export default function RequestNotFound() {
  const days = getEnv().requestLogRetentionDays;
  return (
    <>
      <PageHeader title="Request not found" />
      <Card className="max-w-2xl">
        <CardContent className="flex gap-4 pt-5">
          <SearchX className="text-muted-foreground mt-0.5 size-5 shrink-0" aria-hidden />
          <div className="grid gap-3 text-sm">
            <p>
              The request log has no entry with that id. Entries are kept for {days} days and then pruned;
              requests made by another console, or straight against the API, are not in this log.
            </p>
            <div>
              <Button asChild variant="outline" size="sm">
                <Link href="/requests">Search the request log</Link>
              </Button>
            </div>
          </div>
        </CardContent>
      </Card>
    </>
  );
}
