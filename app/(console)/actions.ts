'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { roleAction } from '@/lib/auth/action';
import { recordAudit } from '@/lib/auth/audit';
import { destroySession } from '@/lib/auth/session';
import { checkHtml, type HtmlCheck } from '@/lib/html-check/check-html';
import type { ActionResult } from '@/lib/schemas/action-result';
import { htmlCheckInputSchema } from '@/lib/schemas/html-check';

export const signOutAction = roleAction('support', z.undefined(), async (_input, { user }) => {
  await destroySession();
  await recordAudit({ action: 'sign_out', actor: user, target: user.email });
  redirect('/sign-in');
});

/** The HTML check of Compose's preview and the batch preflight (server-side: caniemail's data is large). */
export const checkHtmlAction = roleAction(
  'sender',
  htmlCheckInputSchema,
  async ({ html, templates }): Promise<ActionResult<HtmlCheck>> => ({
    ok: true,
    data: checkHtml(html, { templates }),
  }),
);
