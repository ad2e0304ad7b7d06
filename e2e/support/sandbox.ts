import type { APIRequestContext } from '@playwright/test';
import { E2E } from './constants';

export type OutboxEntry = {
  id: string;
  request_id: string;
  idempotency_key: string | null;
  endpoint: string;
  batch_index: number | null;
  message: Record<string, unknown>;
};

/** What the sandbox accepted for this To address, newest first (through its control API). */
export async function outboxFor(
  request: APIRequestContext,
  to: string,
  baseUrl = E2E.baseUrl,
  key = E2E.sandboxKey,
): Promise<OutboxEntry[]> {
  const res = await request.get(
    `${baseUrl}/sandbox/api/v1/_sandbox/outbox?to=${encodeURIComponent(to)}&limit=500`,
    { headers: { Authorization: `Bearer ${key}` } },
  );
  if (!res.ok()) throw new Error(`sandbox outbox: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { data: { messages: OutboxEntry[] } }).data.messages;
}

export const uniqueAddress = (name: string) =>
  `${name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
