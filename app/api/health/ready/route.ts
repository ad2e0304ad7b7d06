import { NextResponse } from 'next/server';
import { checkReadiness } from '@/lib/lifecycle/readiness';

export const dynamic = 'force-dynamic';

// Readiness for load balancers: 200 when this instance should get traffic, 503 while it drains
// after SIGTERM, or when its database is unreachable or not migrated. /api/health stays liveness.
export async function GET() {
  const readiness = await checkReadiness();
  return NextResponse.json(readiness, {
    status: readiness.ready ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
