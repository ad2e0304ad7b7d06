'use client';

import dynamic from 'next/dynamic';
import { Loader2, Wand2 } from 'lucide-react';
import { useFormContext, useWatch } from 'react-hook-form';
import { FormField } from '@/components/form-field';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { MAX_SUBJECT } from '@/lib/schemas/limits';
import type { MessageInput } from '@/lib/schemas/message';
import { fieldId } from './fields';
import { RecipientListField } from './recipient-list-field';

// Warnings about earlier bounces load after the page: react-query is not part of Compose's first load.
const RecipientWarnings = dynamic(() => import('./recipient-warnings').then((m) => m.RecipientWarnings));

/** From, To, Cc, Bcc, Reply-To and Return-Path, with the key's mailboxes offered for From. */
export function SenderCard({ mailboxes }: { mailboxes: string[] }) {
  const { register, formState } = useFormContext<MessageInput>();
  const e = formState.errors;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sender and recipients</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4 @xl:grid-cols-2">
        <FormField id={fieldId('from.email')} label="From email" error={e.from?.email?.message}>
          <Input type="email" list="from-mailboxes" autoComplete="off" {...register('from.email')} />
        </FormField>
        <datalist id="from-mailboxes">
          {mailboxes.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <FormField id={fieldId('from.name')} label="From name" hint="Optional" error={e.from?.name?.message}>
          <Input autoComplete="off" {...register('from.name')} />
        </FormField>
        <FormField
          id={fieldId('to.email')}
          label="To email"
          hint="One recipient"
          error={e.to?.email?.message}
        >
          <Input type="email" autoComplete="off" {...register('to.email')} />
        </FormField>
        <FormField id={fieldId('to.name')} label="To name" hint="Optional" error={e.to?.name?.message}>
          <Input autoComplete="off" {...register('to.name')} />
        </FormField>
        <div className="grid gap-4 @xl:col-span-2">
          <RecipientListField name="cc" label="Cc" />
          <RecipientListField name="bcc" label="Bcc" />
        </div>
        <RecipientWarnings />
        <FormField
          id={fieldId('replyTo.email')}
          label="Reply-To email"
          hint="Optional"
          error={e.replyTo?.email?.message}
        >
          <Input type="email" autoComplete="off" {...register('replyTo.email')} />
        </FormField>
        <FormField
          id={fieldId('replyTo.name')}
          label="Reply-To name"
          hint="Optional"
          error={e.replyTo?.name?.message}
        >
          <Input autoComplete="off" {...register('replyTo.name')} />
        </FormField>
        <FormField
          id={fieldId('returnPath')}
          label="Return-Path"
          hint="Optional envelope sender (VERP)"
          error={e.returnPath?.message}
          className="@xl:col-span-2"
        >
          <Input type="email" autoComplete="off" {...register('returnPath')} />
        </FormField>
      </CardContent>
    </Card>
  );
}

/** Subject, HTML body and text body, and the text generated from the HTML. */
export function ContentCard({
  generating,
  onGenerateText,
}: {
  generating: boolean;
  onGenerateText: () => void;
}) {
  const { register, control, formState } = useFormContext<MessageInput>();
  const e = formState.errors;
  const [subject, htmlBody] = useWatch({ control, name: ['subject', 'htmlBody'] });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Content</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <FormField
          id={fieldId('subject')}
          label="Subject"
          hint={`${(subject ?? '').length} / ${MAX_SUBJECT}`}
          error={e.subject?.message}
        >
          <Input autoComplete="off" {...register('subject')} />
        </FormField>
        <FormField
          id={fieldId('htmlBody')}
          label="HTML body"
          hint="Sendmux tags like [DP_NAME] pass through as written"
          error={e.htmlBody?.message}
        >
          <Textarea rows={12} spellCheck={false} className="font-mono text-xs" {...register('htmlBody')} />
        </FormField>
        <div className="grid gap-1.5">
          <FormField
            id={fieldId('textBody')}
            label="Text body"
            hint="Optional plain-text alternative"
            error={e.textBody?.message}
          >
            <Textarea rows={6} className="font-mono text-xs" {...register('textBody')} />
          </FormField>
          <div>
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={onGenerateText}
              disabled={generating || !(htmlBody ?? '').trim()}
            >
              {generating ? <Loader2 className="animate-spin" aria-hidden /> : <Wand2 aria-hidden />}
              Generate text from HTML
            </Button>
          </div>
        </div>
      </CardContent>
    </Card>
  );
}
