'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useRef } from 'react';

// After a client-side navigation the link that was pressed is gone and focus falls to <body>: the
// new page's heading takes it, so keyboard and screen-reader users start where the page does.
export function RouteFocus() {
  const pathname = usePathname();
  const first = useRef(pathname);
  useEffect(() => {
    if (first.current === pathname) return;
    first.current = pathname;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const heading = document.querySelector<HTMLElement>('main h1');
    if (!heading) return;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus();
  }, [pathname]);
  return null;
}
