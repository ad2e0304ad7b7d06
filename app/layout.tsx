import type { Metadata } from 'next';
import { Providers } from '@/components/providers';
import { inter, jetbrainsMono } from './fonts';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Sendmux Console', template: '%s · Sendmux Console' },
  description: 'Compose, batch-send and troubleshoot email through the Sendmux Sending API.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={`${inter.variable} ${jetbrainsMono.variable}`} suppressHydrationWarning>
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
