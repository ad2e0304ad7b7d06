import 'server-only';
import type { SMTPServer } from 'smtp-server';
import type { ErrorCode } from '@/lib/sandbox/catalog';

export const FAULT_PATHS = ['/emails/send', '/emails/send/batch', '/emails/attachments', '/me'] as const;
export type FaultPath = (typeof FAULT_PATHS)[number];
export type QueuedFault = { path: FaultPath; code?: ErrorCode | 'drop'; delayMs: number; remaining: number };

export type SmtpListenerStatus =
  | { state: 'off' }
  | { state: 'starting'; host: string; port: number }
  | { state: 'listening'; host: string; port: number; caFile: string }
  | { state: 'failed'; host: string; port: number; reason: string };

type SandboxState = {
  faults: QueuedFault[];
  /** Attempt counters for flaky+ and drop+once, keyed by credential, endpoint and key (or body hash). */
  attempts: Map<string, { count: number; at: number }>;
  /** Databases this process has prepared (a test may install a fresh one per file). */
  prepared: WeakMap<object, Promise<void>>;
  lastSweepAt: number;
  key?: { config: object; key: string; hash: Buffer };
  smtp?: { server?: SMTPServer; status: SmtpListenerStatus };
};

// Next may load this module once per route bundle; the state must be one per process.
const globalForSandbox = globalThis as typeof globalThis & { __sendmuxSandbox?: SandboxState };

export function sandboxState(): SandboxState {
  globalForSandbox.__sendmuxSandbox ??= {
    faults: [],
    attempts: new Map(),
    prepared: new WeakMap(),
    lastSweepAt: 0,
  };
  return globalForSandbox.__sendmuxSandbox;
}
