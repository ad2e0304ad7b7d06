'use client';

import { FlaskConical, Home, Layers, PenSquare, ScrollText, Settings } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/cn';
import { hasRole, type Role } from '@/lib/schemas/roles';

const ITEMS = [
  { href: '/', label: 'Home', icon: Home, role: 'support' },
  { href: '/compose', label: 'Compose', icon: PenSquare, role: 'sender' },
  { href: '/batches', label: 'Batches', icon: Layers, role: 'support' },
  { href: '/requests', label: 'Requests', icon: ScrollText, role: 'support' },
  { href: '/sandbox', label: 'Sandbox', icon: FlaskConical, role: 'support', sandboxOnly: true },
  { href: '/settings', label: 'Settings', icon: Settings, role: 'support' },
] as const;

export function ConsoleNav({ role, sandbox }: { role: Role; sandbox: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex gap-1 overflow-x-auto md:flex-col">
      {ITEMS.filter((item) => hasRole(role, item.role) && (!('sandboxOnly' in item) || sandbox)).map(
        (item) => {
          const active =
            item.href === '/'
              ? pathname === '/'
              : pathname === item.href || pathname.startsWith(`${item.href}/`);
          const Icon = item.icon;
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'text-muted-foreground hover:bg-accent hover:text-foreground flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors',
                active && 'bg-accent text-foreground',
              )}
            >
              <Icon className="size-4" aria-hidden />
              {item.label}
            </Link>
          );
        },
      )}
    </nav>
  );
}
