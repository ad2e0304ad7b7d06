'use client';

import { ThemeProvider } from 'next-themes';

/**
 * What every page needs: the theme (its inline script carries the request's CSP nonce). Toasts live
 * in the console's layout and react-query's client only on the pages that poll, so that sign-in and
 * setup load neither.
 */
export function Providers({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  return (
    <ThemeProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      nonce={nonce}
    >
      {children}
    </ThemeProvider>
  );
}
