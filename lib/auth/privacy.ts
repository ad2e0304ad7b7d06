import 'server-only';
import { getEnv } from '@/lib/env';
import type { Role } from '@/lib/schemas/roles';

/**
 * Whether a role sees message content (bodies, custom header values, attachment names). Support
 * always sees metadata, subjects and recipients; content only while SUPPORT_SEES_BODIES is on.
 */
export function seesContent(role: Role): boolean {
  return role !== 'support' || getEnv().supportSeesBodies;
}
