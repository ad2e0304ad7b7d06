import { NextResponse, type NextRequest } from 'next/server';
import { requireRole } from '@/lib/auth/require-role';
import { attemptsForKey } from '@/lib/requests/compose-attempts';
import { idempotencyKeySchema } from '@/lib/schemas/message';

export const dynamic = 'force-dynamic';

// Polled by the compose page while a send is in flight, to show retries and their waits.
export async function GET(request: NextRequest) {
  const user = await requireRole('sender');
  const key = idempotencyKeySchema.safeParse(request.nextUrl.searchParams.get('key') ?? '');
  if (!key.success) return NextResponse.json({ error: 'key is required' }, { status: 400 });
  return NextResponse.json(
    { attempts: await attemptsForKey(key.data, user.id) },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
