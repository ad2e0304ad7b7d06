'use client';

import { ImageOff } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';

/**
 * The policy a previewed message runs under, on top of the page's own (which a srcdoc frame
 * inherits). Like a mail client, nothing is fetched from the network until asked: a remote image
 * is how senders learn that a message was opened.
 */
export function framePolicy(remoteImages: boolean): string {
  return [
    "default-src 'none'",
    `img-src data: cid:${remoteImages ? ' https: http:' : ''}`,
    "style-src 'unsafe-inline'",
    'font-src data:',
  ].join('; ');
}

/**
 * The message's HTML with the policy as the first element of its head. The parser puts a `<meta>`
 * that comes before `<html>` into the head it opens, so the message's own markup cannot get in
 * first; after a doctype, so the message keeps its rendering mode.
 */
export function withFramePolicy(html: string, remoteImages: boolean): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${framePolicy(remoteImages)}">`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return doctype ? doctype[0] + meta + html.slice(doctype[0].length) : meta + html;
}

const REMOTE_REFERENCE =
  /(?:\b(?:src|srcset|background|poster)\s*=\s*["']?\s*|url\(\s*["']?\s*|@import\s+["']?\s*)(?:https?:)?\/\//i;

/** Whether the HTML asks for anything from the network (images, backgrounds, stylesheets). */
export function hasRemoteContent(html: string): boolean {
  return REMOTE_REFERENCE.test(html);
}

/**
 * An email's HTML in a frame that can touch nothing: `sandbox=""` (no scripts, no same-origin, no
 * forms or popups), no referrer, and remote images blocked until "Load remote images".
 */
export function EmailFrame({ html, title, className }: { html: string; title: string; className?: string }) {
  const [remoteImages, setRemoteImages] = useState(false);
  const srcDoc = useMemo(() => withFramePolicy(html, remoteImages), [html, remoteImages]);
  const remote = useMemo(() => hasRemoteContent(html), [html]);
  return (
    <div className="grid gap-2">
      {remote && !remoteImages ? (
        <div className="bg-muted/50 flex flex-wrap items-center justify-between gap-2 rounded-md border px-3 py-2 text-sm">
          <p className="text-muted-foreground flex items-center gap-2">
            <ImageOff className="size-4 shrink-0" aria-hidden />
            Remote images are blocked, so previewing tells no one the message was opened.
          </p>
          <Button type="button" size="sm" variant="outline" onClick={() => setRemoteImages(true)}>
            Load remote images
          </Button>
        </div>
      ) : null}
      <iframe
        sandbox=""
        srcDoc={srcDoc}
        referrerPolicy="no-referrer"
        title={title}
        className={cn('w-full rounded-lg border bg-white', className)}
      />
    </div>
  );
}
