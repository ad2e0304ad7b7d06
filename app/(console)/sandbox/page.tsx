import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { NotBuiltYet } from '@/components/not-built-yet';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/lib/auth/require-role';
import { getEnv } from '@/lib/env';

export const metadata: Metadata = { title: 'Sandbox' };

export default async function SandboxPage() {
  await requireRole('support');
  if (!getEnv().sandboxServed) notFound();
  return (
    <>
      <PageHeader title="Sandbox" description="The built-in Sendmux emulator: what it received, and how to make it fail on purpose." />
      <NotBuiltYet what="The sandbox outbox and its scenario guide arrive here next." />
    </>
  );
}
