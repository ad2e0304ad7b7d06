import { exportAudit } from '@/lib/auth/audit';
import { requireRole } from '@/lib/auth/require-role';
import { describeAuditDetail } from '@/lib/format/audit';
import { csvLine } from '@/lib/mail-merge/results-csv';
import { auditActionLabel, auditSearchSchema } from '@/lib/schemas/audit';
import { parseUtcInput } from '@/lib/schemas/request-log';

export const dynamic = 'force-dynamic';

const HEADER = ['time_utc', 'actor', 'action', 'action_label', 'target', 'address', 'summary', 'detail_json'];

// The audit page's entries under the same filters, streamed a thousand rows at a time. Every cell
// is neutralised against spreadsheet formula injection: targets and details hold what people typed.
export async function GET(request: Request) {
  await requireRole('admin');
  const params = auditSearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const entries = exportAudit({
    actor: params.actor,
    action: params.action,
    from: parseUtcInput(params.from),
    to: parseUtcInput(params.to, true),
  });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // The BOM makes Excel read the file as UTF-8.
      controller.enqueue(encoder.encode('\uFEFF' + csvLine(HEADER)));
    },
    async pull(controller) {
      let text = '';
      for (let i = 0; i < 1000; i++) {
        const next = await entries.next();
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        const e = next.value;
        text += csvLine([
          e.createdAt,
          e.actorEmail ?? '',
          e.action,
          auditActionLabel(e.action),
          e.target ?? '',
          e.ip ?? '',
          describeAuditDetail(e.action, e.detail),
          e.detail ? JSON.stringify(e.detail) : '',
        ]);
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await entries.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="sendmux-console-audit-${stamp}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
