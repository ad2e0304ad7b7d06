import { NextResponse, type NextRequest } from 'next/server';
import { requireRole } from '@/lib/auth/require-role';
import { deliveryStatuses } from '@/lib/delivery/queries';
import { messageIdListSchema } from '@/lib/schemas/delivery';

export const dynamic = 'force-dynamic';

// Polled by Compose's result panel after a send, until the message's delivery event arrives.
export async function GET(request: NextRequest) {
  await requireRole('support');
  const ids = messageIdListSchema.safeParse(request.nextUrl.searchParams.getAll('id'));
  if (!ids.success)
    return NextResponse.json({ error: 'Give 1 to 100 message ids (eml_…) as id=' }, { status: 400 });
  const statuses = await deliveryStatuses(ids.data);
  return NextResponse.json(
    { statuses: Object.fromEntries(statuses) },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
