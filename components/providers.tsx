'use client';

import { ThemeProvider } from 'next-themes';

/**
 * What every page needs: the theme. Toasts live in the console's layout and react-query's client
 * only on the pages that poll, so that sign-in and setup load neither.
 */
export function Providers({ children }: { children: React.ReactNode }) {
  return (
    <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange>
      {children}
    </ThemeProvider>
  );
}
