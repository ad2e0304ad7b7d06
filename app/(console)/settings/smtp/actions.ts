'use server';

import { requireProfile, roleAction } from '@/lib/auth/action';
import type { SmtpTestEvent } from '@/lib/format/smtp-transcript';
import type { ActionResult } from '@/lib/schemas/action-result';
import { smtpTestInputSchema } from '@/lib/schemas/smtp';
import { smtpTestFromForm } from '@/lib/sendmux/smtp';

// A test send goes out for real (in live mode), so it needs the sender role; support reads the page only.
export const smtpTestSendAction = roleAction(
  'sender',
  smtpTestInputSchema,
  async (input, { user }): Promise<ActionResult<{ events: AsyncIterable<SmtpTestEvent> }>> => {
    requireProfile(input.profile);
    return { ok: true, data: { events: await smtpTestFromForm(input, user) } };
  },
);
