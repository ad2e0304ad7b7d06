import { SearchX } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';

export default function JobNotFound() {
  return (
    <>
      <PageHeader title="Batch job not found" />
      <Card className="max-w-2xl">
        <CardContent className="flex gap-4 pt-5">
          <SearchX className="text-muted-foreground mt-0.5 size-5 shrink-0" aria-hidden />
          <div className="grid gap-3 text-sm">
            <p>
              This console has no batch job with that id. Jobs started on another console (with its own
              database) are not listed here.
            </p>
            <div>
              <Button asChild variant="outline" size="sm">
                <Link href="/batches">All batch jobs</Link>
              </Button>
            </div>
          </div>
        </CardContent>
      </Card>
    </>
  );
}
