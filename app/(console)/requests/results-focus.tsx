'use client';

import { useEffect } from 'react';

/**
 * After a search the form is rebuilt and its button's focus is lost: the answer takes it (the exact
 * match's Open button, or the results heading), so the next Tab goes through what was found. Focus
 * the user put elsewhere is left alone.
 */
export function ResultsFocus({ targetId, search }: { targetId: string; search: string }) {
  useEffect(() => {
    const active = document.activeElement;
    if (active && active !== document.body && active.id !== 'console-search') return;
    document.getElementById(targetId)?.focus();
  }, [targetId, search]);
  return null;
}
