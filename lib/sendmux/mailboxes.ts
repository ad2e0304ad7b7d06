import 'server-only';
import { getConnection } from '@/lib/sendmux/operations';

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { at: number; mailboxes: string[] }>();

/** Mailboxes the profile's key may send from (GET /me), cached for a few minutes per profile. */
export async function mailboxesFor(profile: string, user: { id: string; email: string }): Promise<string[]> {
  const hit = cache.get(profile);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.mailboxes;
  const result = await getConnection(profile, {
    context: { source: 'compose', userId: user.id, userEmail: user.email },
    maxAttempts: 1,
  });
  if (!result.ok) return hit?.mailboxes ?? [];
  const mailboxes = result.data.mailboxes.map((m) => m.email).filter(Boolean);
  cache.set(profile, { at: Date.now(), mailboxes });
  return mailboxes;
}
