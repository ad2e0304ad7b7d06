import type { Metadata } from 'next';
import Link from 'next/link';
import { KeyRound, Mail, ScrollText, Users, Webhook } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/require-role';
import { ROLE_DESCRIPTIONS } from '@/lib/schemas/roles';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await requireRole('support');
  const sections = [
    {
      href: '/settings/keys',
      icon: KeyRound,
      title: 'Sendmux keys',
      text: 'Key profiles (masked), the API URL, and a connection check.',
    },
    {
      href: '/settings/smtp',
      icon: Mail,
      title: 'SMTP',
      text: 'Settings for tools that only speak SMTP, and a test send with the whole conversation.',
    },
    {
      href: '/settings/webhooks',
      icon: Webhook,
      title: 'Webhooks',
      text: 'Delivery events from Sendmux: the URL to register, secrets, the last event, rejected signatures.',
    },
    {
      href: '/settings/users',
      icon: Users,
      title: 'Users',
      text: 'Add people, set their roles, disable accounts.',
      adminOnly: true,
    },
    {
      href: '/settings/audit',
      icon: ScrollText,
      title: 'Audit log',
      text: 'Sign-ins, sends, batch controls and changes: who, when, from where.',
      adminOnly: true,
    },
  ].filter((s) => !s.adminOnly || user.role === 'admin');
  return (
    <>
      <PageHeader title="Settings" />
      <p className="text-muted-foreground mb-6 text-sm">
        You are <strong className="text-foreground">{user.email}</strong>{' '}
        <Badge variant="muted">{user.role}</Badge> — {ROLE_DESCRIPTIONS[user.role].toLowerCase()}.
      </p>
      <ul className="grid max-w-3xl gap-3 sm:grid-cols-2">
        {sections.map((s) => (
          <li key={s.href}>
            <Link
              href={s.href}
              className="bg-card hover:border-primary/50 block rounded-lg border p-5 transition-colors"
            >
              <s.icon className="text-primary mb-2 size-5" aria-hidden />
              <p className="font-medium">
                {s.title} {s.adminOnly ? <Badge variant="muted">admin</Badge> : null}
              </p>
              <p className="text-muted-foreground mt-1 text-sm">{s.text}</p>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
