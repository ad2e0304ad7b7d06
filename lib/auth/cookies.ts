import 'server-only';
import { getEnv } from '@/lib/env';

export type CookieBase = 'smx_session' | 'smx_device';

/**
 * Under an https APP_URL every cookie is `__Host-` prefixed: the browser then only accepts it
 * Secure, for this exact host and path /, so a sibling subdomain cannot plant or shadow it.
 */
export function cookieName(base: CookieBase): string {
  return getEnv().secure ? `__Host-${base}` : base;
}

export function cookieOptions() {
  return { httpOnly: true, sameSite: 'lax', secure: getEnv().secure, path: '/' } as const;
}
