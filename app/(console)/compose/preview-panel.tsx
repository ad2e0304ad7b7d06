'use client';

import dynamic from 'next/dynamic';
import { useDeferredValue, useMemo, useState } from 'react';
import { MessageViews } from '@/components/message-views';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Textarea } from '@/components/ui/textarea';
import {
  elideAttachmentContent,
  fromSendPayload,
  restoreAttachmentContent,
  toSendPayload,
} from '@/lib/compose/payload';
import { messageHeaders, mimeParts } from '@/lib/compose/message-structure';
import { curlCommand, fetchSnippet } from '@/lib/compose/snippets';
import { formatCount } from '@/lib/format/display';
import type { MessageInput } from '@/lib/schemas/message';
import { checkHtmlAction } from '../actions';

// Only loaded when the Check tab opens: Compose's first load stays small.
const HtmlCheckPanel = dynamic(() => import('@/components/html-check').then((m) => m.HtmlCheckPanel));

export function PreviewPanel({
  message,
  apiUrl,
  idempotencyKey,
  onApplyPayload,
  onGenerateText,
  generating,
}: {
  message: MessageInput;
  apiUrl: string;
  idempotencyKey: string;
  onApplyPayload: (message: MessageInput, notes: string[]) => void;
  onGenerateText: () => void;
  generating: boolean;
}) {
  const deferred = useDeferredValue(message);
  const payload = useMemo(() => toSendPayload(deferred), [deferred]);
  const structure = useMemo(
    () => ({ headers: messageHeaders(deferred), parts: mimeParts(deferred) }),
    [deferred],
  );
  return (
    <MessageViews
      label="Preview"
      html={deferred.htmlBody}
      text={deferred.textBody}
      structure={structure}
      frameTitle={{
        desktop: 'HTML preview at desktop width',
        mobile: 'HTML preview at mobile width (375 px)',
      }}
      textEmpty={
        <div className="bg-card text-muted-foreground rounded-lg border p-6 text-sm">
          <p>No text body. Mail clients that don’t show HTML will show nothing useful.</p>
          <Button
            type="button"
            variant="outline"
            size="sm"
            className="mt-3"
            disabled={generating || !deferred.htmlBody.trim()}
            onClick={onGenerateText}
          >
            Generate text from HTML
          </Button>
        </div>
      }
      extraViews={[
        {
          value: 'check',
          label: 'Check',
          content: <HtmlCheckPanel html={deferred.htmlBody} run={checkHtmlAction} />,
        },
        {
          value: 'payload',
          label: 'Payload',
          content: <PayloadEditor message={message} onApply={onApplyPayload} />,
        },
        {
          value: 'code',
          label: 'Code',
          content: <CodeSnippets apiUrl={apiUrl} idempotencyKey={idempotencyKey} body={payload} />,
        },
      ]}
    />
  );
}

function PayloadEditor({
  message,
  onApply,
}: {
  message: MessageInput;
  onApply: (message: MessageInput, notes: string[]) => void;
}) {
  const current = useMemo(
    () => JSON.stringify(elideAttachmentContent(toSendPayload(message)), null, 2),
    [message],
  );
  // While not editing, the editor follows the form; once edited it holds the user's text until applied or discarded.
  const [draft, setDraft] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [notes, setNotes] = useState<string[]>([]);
  const editing = draft !== null;
  const text = draft ?? current;

  function apply() {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      setProblems([`Not valid JSON: ${(err as Error).message}`]);
      return;
    }
    const parsed = fromSendPayload(restoreAttachmentContent(value, message), message);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      return;
    }
    setProblems([]);
    setNotes(parsed.notes);
    setDraft(null);
    onApply(parsed.message, parsed.notes);
  }

  return (
    <div className="grid gap-2">
      <p className="text-muted-foreground text-xs">
        The exact JSON body of <code className="font-mono">POST /emails/send</code>. Edit it and apply: the
        form follows. Attachment content is abbreviated here and sent in full.
      </p>
      <label htmlFor="payload-editor" className="sr-only">
        Request payload (JSON)
      </label>
      <Textarea
        id="payload-editor"
        value={text}
        spellCheck={false}
        onChange={(e) => setDraft(e.target.value)}
        className="h-[520px] font-mono text-xs"
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={problems.length ? 'payload-problems' : undefined}
      />
      <div className="flex gap-2">
        <Button type="button" size="sm" onClick={apply} disabled={!editing}>
          Apply to form
        </Button>
        <Button
          type="button"
          size="sm"
          variant="ghost"
          disabled={!editing}
          onClick={() => {
            setDraft(null);
            setProblems([]);
          }}
        >
          Discard edits
        </Button>
      </div>
      {problems.length ? (
        <Alert variant="destructive" id="payload-problems">
          <AlertDescription>
            <ul className="list-disc pl-4">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      ) : null}
      {notes.length ? (
        <Alert variant="warning">
          <AlertDescription>
            <ul className="list-disc pl-4">
              {notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      ) : null}
    </div>
  );
}

function CodeSnippets({
  apiUrl,
  idempotencyKey,
  body,
}: {
  apiUrl: string;
  idempotencyKey: string;
  body: unknown;
}) {
  const curl = curlCommand({ apiUrl, path: '/emails/send', idempotencyKey, body });
  const fetchCode = fetchSnippet({ apiUrl, path: '/emails/send', idempotencyKey, body });
  return (
    <div className="grid gap-4">
      <p className="text-muted-foreground text-xs">
        The exact request this page sends, with the key written as{' '}
        <code className="font-mono">$SENDMUX_API_KEY</code>: set that variable in your shell. The console
        never shows the key itself.
      </p>
      {[
        { title: 'curl', code: curl, label: 'Copy as curl' },
        { title: 'fetch (JavaScript)', code: fetchCode, label: 'Copy as fetch' },
      ].map((s) => (
        <section key={s.title} className="grid gap-1.5">
          <div className="flex items-center justify-between">
            <h3 className="text-sm font-medium">{s.title}</h3>
            <CopyButton value={s.code} label={s.label}>
              {s.label}
            </CopyButton>
          </div>
          <pre className="bg-card max-h-72 overflow-auto rounded-lg border p-3 font-mono text-xs">
            {s.code.length > 20_000
              ? `${s.code.slice(0, 20_000)}\n… (${formatCount(s.code.length)} characters; the copy has all of it)`
              : s.code}
          </pre>
        </section>
      ))}
    </div>
  );
}
