import { NextResponse } from 'next/server';
import { getDbHandle, queryRows } from '@/lib/db';
import { sql } from 'drizzle-orm';
import { getEnv } from '@/lib/env';

export const dynamic = 'force-dynamic';

// Public by design (load balancers call it): it reveals the mode and engine, nothing else.
export async function GET() {
  const env = getEnv();
  try {
    const handle = await getDbHandle();
    await queryRows(handle.db, sql`select 1`);
    return NextResponse.json(
      { ok: true, mode: env.mode, db: handle.kind },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  } catch {
    return NextResponse.json(
      { ok: false, mode: env.mode, db: env.db },
      { status: 503, headers: { 'Cache-Control': 'no-store' } },
    );
  }
}
