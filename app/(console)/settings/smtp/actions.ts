'use server';

import { requireProfile, roleAction } from '@/lib/auth/action';
import type { SmtpTestEvent } from '@/lib/format/smtp-transcript';
import type { ActionResult } from '@/lib/schemas/action-result';
import { checkAttachmentType } from '@/lib/schemas/file-types';
import { smtpTestInputSchema } from '@/lib/schemas/smtp';
import { smtpTestEvents } from '@/lib/sendmux/smtp';

// A test send goes out for real (in live mode), so it needs the sender role; support reads the page only.
export const smtpTestSendAction = roleAction(
  'sender',
  smtpTestInputSchema,
  async (input, { user }): Promise<ActionResult<{ events: AsyncIterable<SmtpTestEvent> }>> => {
    const profile = requireProfile(input.profile);
    const file = input.attachment;
    const type = file ? checkAttachmentType(file.name) : null;
    const events = smtpTestEvents({
      profile,
      authMethod: input.authMethod,
      context: { source: 'smtp_test', userId: user.id, userEmail: user.email },
      message: {
        from: { email: input.fromEmail, name: input.fromName.trim() || undefined },
        to: { email: input.toEmail },
        subject: input.subject,
        text: input.text,
        html: input.html,
        attachment:
          file && type?.ok
            ? {
                filename: file.name,
                contentType: type.contentType,
                content: Buffer.from(await file.arrayBuffer()),
              }
            : undefined,
      },
    });
    return { ok: true, data: { events } };
  },
);
