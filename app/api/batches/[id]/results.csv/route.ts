import { NextResponse } from 'next/server';
import { seesContent } from '@/lib/auth/privacy';
import { requireRole } from '@/lib/auth/require-role';
import { exportRows, getJob } from '@/lib/batch/job-queries';
import type { ExportRow } from '@/lib/batch/job-types';
import { deliveryStatuses } from '@/lib/delivery/queries';
import { csvLine, resultsCsvCells, resultsCsvHeader } from '@/lib/mail-merge/results-csv';
import { jobIdSchema } from '@/lib/schemas/batch';

export const dynamic = 'force-dynamic';

function fileName(name: string, id: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'batch'}-${id}-results.csv`;
}

// The input columns plus each row's outcome, streamed a page of rows at a time so that a
// 100,000-row job never sits in memory as one string. Support without SUPPORT_SEES_BODIES gets
// the recipient in place of the input columns (which hold merge content).
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole('support');
  const id = jobIdSchema.safeParse((await params).id);
  const job = id.success ? await getJob(id.data) : null;
  if (!job) return NextResponse.json({ error: 'No such batch job' }, { status: 404 });

  const withInput = seesContent(user.role);
  const columns = withInput ? job.columns : ['to'];
  const encoder = new TextEncoder();
  const rows = exportRows(job.id);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // The BOM makes Excel read the file as UTF-8.
      controller.enqueue(encoder.encode('\uFEFF' + csvLine(resultsCsvHeader(columns))));
    },
    async pull(controller) {
      const page: ExportRow[] = [];
      let done = false;
      while (page.length < 500) {
        const next = await rows.next();
        if (next.done) {
          done = true;
          break;
        }
        page.push(next.value);
      }
      const delivery = await deliveryStatuses(page.flatMap((r) => (r.messageId ? [r.messageId] : [])));
      let text = '';
      for (const r of page) {
        const d = r.messageId ? delivery.get(r.messageId) : undefined;
        text += csvLine(
          resultsCsvCells(columns, {
            values: withInput ? r.input : { to: r.toEmail },
            status: r.status,
            messageId: r.messageId,
            errorCode: r.errorCode,
            errorMessage: r.errorMessage,
            requestId: r.requestId,
            idempotencyKey: r.idempotencyKey,
            deliveryStatus: d?.status,
            deliveryDetail: d?.detail,
            deliveryAt: d?.at,
          }),
        );
      }
      if (text) controller.enqueue(encoder.encode(text));
      if (done) controller.close();
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName(job.name, job.id)}"`,
      'Cache-Control': 'no-store',
    },
  });
}
