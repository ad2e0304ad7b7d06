import Link from 'next/link';
import { Toaster } from 'sonner';
import { Logo } from '@/components/logo';
import { ThemeToggle } from '@/components/theme-toggle';
import { requireRole } from '@/lib/auth/require-role';
import { getEnv } from '@/lib/env';
import { ConsoleNav } from './console-nav';
import { ConsoleSearch } from './console-search';
import { KeyboardShortcuts } from './keyboard-shortcuts';
import { RouteFocus } from './route-focus';
import { SandboxBanner } from './sandbox-banner';
import { UserMenu } from './user-menu';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireRole('support');
  const env = getEnv();
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="focus:bg-card sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      {env.sandboxServed ? <SandboxBanner kind={env.mode === 'sandbox' ? 'sandbox' : 'self'} /> : null}
      <div className="flex flex-1 flex-col md:flex-row">
        <aside className="bg-card/60 flex shrink-0 flex-col gap-4 border-b p-3 md:sticky md:top-0 md:h-screen md:w-64 md:border-r md:border-b-0">
          <div className="flex items-center justify-between gap-2 px-1 pt-1">
            <Link href="/" aria-label="Sendmux Console home">
              <Logo />
            </Link>
            <div className="flex shrink-0 items-center gap-0.5">
              <KeyboardShortcuts />
              <ThemeToggle />
            </div>
          </div>
          <ConsoleSearch />
          <ConsoleNav role={user.role} sandbox={env.sandboxServed} />
          <div className="mt-auto hidden md:block">
            <UserMenu email={user.email} role={user.role} />
          </div>
        </aside>
        <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-8">
          <div className="mb-4 md:hidden">
            <UserMenu email={user.email} role={user.role} />
          </div>
          {children}
        </main>
      </div>
      <Toaster closeButton position="bottom-right" />
      <RouteFocus />
    </div>
  );
}
