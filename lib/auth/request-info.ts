import 'server-only';
import { headers } from 'next/headers';
import { getEnv } from '@/lib/env';

export async function requestInfo(): Promise<{
  ip: string | null;
  userAgent: string | null;
  secure: boolean;
}> {
  const h = await headers();
  const forwarded = h.get('x-forwarded-for')?.split(',')[0]?.trim();
  return {
    ip: forwarded || h.get('x-real-ip') || null,
    userAgent: h.get('user-agent')?.slice(0, 300) ?? null,
    secure: h.get('x-forwarded-proto') === 'https' || getEnv().appUrl.startsWith('https://'),
  };
}
