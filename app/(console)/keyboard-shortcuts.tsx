'use client';

import { Keyboard } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';

export const SHORTCUTS: { keys: string[]; what: string }[] = [
  {
    keys: ['/'],
    what: 'Focus the search box: the page’s own (requests, outbox, a job’s rows) or Find a request',
  },
  { keys: ['?'], what: 'Show this list' },
  { keys: ['Ctrl', 'Enter'], what: 'Send, in Compose (⌘ Enter on a Mac)' },
  { keys: ['Esc'], what: 'Close a dialog or menu' },
  { keys: ['Tab'], what: 'Next control; the first Tab on a page offers Skip to content' },
];

/** True when the key was meant for what has focus: a field, a select, an editable region. */
function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement)
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(
      target.type,
    );
  return false;
}

/** Focuses the page's own search box when it has one, the console's request finder otherwise. */
export function focusSearch(): boolean {
  const box =
    document.querySelector<HTMLInputElement>('main [data-page-search]') ??
    document.querySelector<HTMLInputElement>('#console-search');
  if (!box) return false;
  box.focus();
  box.select();
  return true;
}

/** `/` and `?` on every console page, and a button that opens the same list. */
export function KeyboardShortcuts() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (typingInField(e.target)) return;
      // Inside a dialog the keys belong to it.
      if (e.target instanceof HTMLElement && e.target.closest('[role="dialog"],[role="alertdialog"]')) return;
      if (e.key === '/') {
        if (focusSearch()) e.preventDefault();
      } else if (e.key === '?') {
        e.preventDefault();
        setOpen(true);
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label="Keyboard shortcuts"
          aria-keyshortcuts="?"
          title="Keyboard shortcuts (?)"
        >
          <Keyboard aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Keyboard shortcuts</DialogTitle>
          <DialogDescription>
            Everything in the console works with the keyboard alone. These keys work on every page, except
            while typing in a field.
          </DialogDescription>
        </DialogHeader>
        <table className="text-sm">
          <caption className="sr-only">Keyboard shortcuts</caption>
          <thead className="sr-only">
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">What they do</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys.join('+')} className="border-b last:border-0">
                <th scope="row" className="py-2 pr-4 text-left align-top font-normal whitespace-nowrap">
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 ? ' + ' : null}
                      <kbd className="bg-muted rounded border px-1.5 py-0.5 font-mono text-xs">{k}</kbd>
                    </span>
                  ))}
                </th>
                <td className="py-2">{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </DialogContent>
    </Dialog>
  );
}
