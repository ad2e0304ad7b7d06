import 'server-only';
import { headers } from 'next/headers';
import { clientAddress } from '@/lib/auth/client-address';
import { getEnv } from '@/lib/env';

export async function requestInfo(): Promise<{ ip: string | null; userAgent: string | null }> {
  const h = await headers();
  return {
    ip: clientAddress(h, getEnv().trustProxy),
    userAgent: h.get('user-agent')?.slice(0, 300) ?? null,
  };
}

/** The client's address when called while serving a request; null elsewhere (workers, start-up, tests). */
export async function currentClientAddress(): Promise<string | null> {
  try {
    return (await requestInfo()).ip;
  } catch {
    return null;
  }
}
