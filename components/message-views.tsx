import { Monitor, Smartphone } from 'lucide-react';
import type { ReactNode } from 'react';
import { EmailFrame } from '@/components/email-frame';
import { HtmlSource, MessageHeaders } from '@/components/message-source';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { cn } from '@/lib/cn';
import type { MessageStructure } from '@/lib/compose/message-structure';

export type ExtraView = { value: string; label: ReactNode; content: ReactNode };

const HIDDEN_NOTE =
  'Not shown: support does not see message bodies on this console (SUPPORT_SEES_BODIES is off).';

function Empty({ children }: { children: ReactNode }) {
  return (
    <div className="text-muted-foreground flex min-h-40 items-center justify-center rounded-lg border border-dashed p-6 text-center text-sm">
      {children}
    </div>
  );
}

/**
 * One message seen the ways Mailpit shows it — Desktop, Mobile (375 px), Text, Source, Headers —
 * plus the views a page adds (Compose: Check, Payload, Code; the outbox: Raw JSON). Compose, the
 * sandbox outbox and the request log all show a message through this.
 */
export function MessageViews({
  label,
  html,
  text,
  structure,
  frameTitle,
  contentHidden = false,
  textEmpty,
  extraViews = [],
  defaultValue = 'desktop',
  frameClassName = 'h-[620px]',
}: {
  /** The tab list's accessible name. */
  label: string;
  html: string;
  text: string;
  structure: MessageStructure;
  /** Titles of the desktop and mobile frames. */
  frameTitle: { desktop: string; mobile: string };
  /** Bodies were withheld from this viewer: say so instead of showing placeholders. */
  contentHidden?: boolean;
  textEmpty?: ReactNode;
  extraViews?: ExtraView[];
  defaultValue?: string;
  frameClassName?: string;
}) {
  const body = (view: ReactNode, empty: ReactNode) =>
    contentHidden ? <Empty>{HIDDEN_NOTE}</Empty> : html.trim() ? view : <Empty>{empty}</Empty>;
  return (
    <Tabs defaultValue={defaultValue} className="min-w-0">
      <TabsList aria-label={label} className="flex h-auto w-full flex-wrap justify-start">
        <TabsTrigger value="desktop">
          <Monitor className="size-3.5" aria-hidden /> Desktop
        </TabsTrigger>
        <TabsTrigger value="mobile">
          <Smartphone className="size-3.5" aria-hidden /> Mobile
        </TabsTrigger>
        <TabsTrigger value="text">Text</TabsTrigger>
        <TabsTrigger value="source">Source</TabsTrigger>
        <TabsTrigger value="headers">Headers</TabsTrigger>
        {extraViews.map((v) => (
          <TabsTrigger key={v.value} value={v.value}>
            {v.label}
          </TabsTrigger>
        ))}
      </TabsList>
      <TabsContent value="desktop">
        {body(
          <EmailFrame html={html} title={frameTitle.desktop} className={frameClassName} />,
          'The HTML body will appear here.',
        )}
      </TabsContent>
      <TabsContent value="mobile">
        {body(
          <div className="bg-muted/40 flex justify-center rounded-lg border py-4">
            <div className="border-foreground/80 box-content w-[375px] max-w-[calc(100%-8px)] overflow-hidden rounded-[1.5rem] border-4 shadow-lg">
              <EmailFrame
                html={html}
                title={frameTitle.mobile}
                className={cn(frameClassName, 'rounded-none border-0')}
              />
            </div>
          </div>,
          'The HTML body will appear here.',
        )}
      </TabsContent>
      <TabsContent value="text">
        {contentHidden ? (
          <Empty>{HIDDEN_NOTE}</Empty>
        ) : text ? (
          <pre className="bg-card max-h-[620px] overflow-auto rounded-lg border p-4 font-mono text-xs whitespace-pre-wrap">
            {text}
          </pre>
        ) : (
          (textEmpty ?? (
            <Empty>No text body. Mail clients that don’t show HTML will show nothing useful.</Empty>
          ))
        )}
      </TabsContent>
      <TabsContent value="source">
        {body(<HtmlSource html={html} />, 'The HTML source will appear here.')}
      </TabsContent>
      <TabsContent value="headers">
        <MessageHeaders headers={structure.headers} parts={structure.parts} />
      </TabsContent>
      {extraViews.map((v) => (
        <TabsContent key={v.value} value={v.value}>
          {v.content}
        </TabsContent>
      ))}
    </Tabs>
  );
}
