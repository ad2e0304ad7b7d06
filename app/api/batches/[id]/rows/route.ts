import { NextResponse, type NextRequest } from 'next/server';
import { requireRole } from '@/lib/auth/require-role';
import { countJobRows, listJobRows } from '@/lib/batch/job-queries';
import { explainError } from '@/lib/errors/catalog';
import { deliveryStatuses } from '@/lib/delivery/queries';
import type { JobRowsPage } from '@/lib/batch/dto';
import { jobIdSchema, jobRowsPageSchema } from '@/lib/schemas/batch';

export const dynamic = 'force-dynamic';

// One page of a job's rows for the virtualised results table (keyset on the row number). The
// first page (no cursor) also carries how many rows match, which sizes the table.
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  await requireRole('support');
  const id = jobIdSchema.safeParse((await params).id);
  if (!id.success) return NextResponse.json({ error: 'No such batch job' }, { status: 404 });
  const query = jobRowsPageSchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const filter = { status: query.status, errorCode: query.code, q: query.q, delivery: query.delivery };
  const [page, total] = await Promise.all([
    listJobRows(id.data, { ...filter, cursor: query.cursor, limit: query.limit ?? 200 }),
    query.cursor ? Promise.resolve(undefined) : countJobRows(id.data, filter),
  ]);
  const delivery = await deliveryStatuses(page.rows.flatMap((r) => (r.messageId ? [r.messageId] : [])));
  const body: JobRowsPage = {
    rows: page.rows.map((r) => ({
      rowNo: r.rowNo,
      csvLine: r.csvLine,
      toEmail: r.toEmail,
      status: r.status,
      messageId: r.messageId,
      errorCode: r.errorCode,
      errorTitle: r.errorCode ? explainError(r.errorCode).title : null,
      errorMeaning: r.errorCode ? explainError(r.errorCode).meaning : null,
      errorMessage: r.errorMessage,
      errorFields: r.errorFields,
      requestId: r.requestId,
      idempotencyKey: r.idempotencyKey,
      try: r.try,
      delivery: (() => {
        const d = r.messageId ? delivery.get(r.messageId) : undefined;
        return d ? { status: d.status, detail: d.detail, at: d.at } : null;
      })(),
    })),
    nextCursor: page.nextCursor,
    ...(total === undefined ? {} : { total }),
  };
  return NextResponse.json(body, { headers: { 'Cache-Control': 'no-store' } });
}
