import { MessageViews } from '@/components/message-views';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { wireMessageStructure } from '@/lib/compose/message-structure';
import { str } from './request-snippets';

/** One logged message (a send's, or the chosen one of a batch) seen as the preview shows it. */
export function LoggedMessage({
  message,
  index,
  contentHidden,
}: {
  message: Record<string, unknown>;
  /** The message's index in a batch; null for a single send. */
  index: number | null;
  contentHidden: boolean;
}) {
  return (
    <Card id="message" aria-labelledby="message-title" className="min-w-0 scroll-mt-4">
      <CardHeader>
        <CardTitle id="message-title">
          {index === null ? 'Message' : `Message ${index} of the batch`}
        </CardTitle>
        <CardDescription>
          As logged: what this request asked Sendmux to send. Attachment content is never stored, so
          attachments show by name, type and size.
          {index === null ? '' : ' Pick another message with View in the list above.'}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <MessageViews
          label="Message views"
          html={str(message.html_body)}
          text={str(message.text_body)}
          structure={wireMessageStructure(message, { contentHidden })}
          contentHidden={contentHidden}
          frameTitle={{
            desktop: 'Logged HTML body',
            mobile: 'Logged HTML body at mobile width (375 px)',
          }}
        />
      </CardContent>
    </Card>
  );
}
