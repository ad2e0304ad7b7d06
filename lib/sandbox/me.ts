import 'server-only';
import { createHash } from 'node:crypto';
import { success, type Outcome } from '@/lib/sandbox/envelope';
import type { RequestContext } from '@/lib/sandbox/http';

export const SANDBOX_MAILBOXES = [
  { id: 'mbx_sandbox', email: 'sandbox@sendmux.test' },
  { id: 'mbx_noreply', email: 'noreply@sendmux.test' },
] as const;

/** GET /me: the connection the sandbox key stands for. Answers 304 to a matching If-None-Match, as Sendmux does. */
export function handleMe(ctx: RequestContext): Outcome {
  const data = {
    team: { id: 'team_sandbox', name: 'Sandbox team' },
    credential: { id: `key_${ctx.scope.slice(0, 24)}`, type: 'api_key', name: 'Sandbox key' },
    label: 'Sendmux sandbox',
    permissions: ['email.send'],
    mailboxes: SANDBOX_MAILBOXES.map((m) => ({ ...m })),
  };
  const etag = `W/"${createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 32)}"`;
  const status = ctx.request.headers.get('if-none-match') === etag ? 304 : 200;
  return { ...success(ctx.requestId, data, status), headers: { ETag: etag } };
}
