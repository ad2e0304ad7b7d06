import 'server-only';
import { createHash, type Hash } from 'node:crypto';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { sandboxIdempotency as keys } from '@/lib/db/schema';
import { failure, sandboxError, type Envelope, type Outcome } from '@/lib/sandbox/envelope';
import { IDEMPOTENCY_TTL_MS } from '@/lib/sandbox/limits';
import type { Db, Tx } from '@/lib/sandbox/store';

export type IdempotencyId = { scope: string; endpoint: string; key: string };

export type Reservation =
  | { kind: 'reserved'; lease: Date }
  | { kind: 'replay'; status: number; body: Envelope }
  | { kind: 'different_body' }
  | { kind: 'in_progress' };

/** SHA-256 of the value as JSON with sorted object keys, so key order and whitespace do not matter. */
export function hashJson(value: unknown): string {
  const hash = createHash('sha256');
  feed(hash, value);
  return hash.digest('hex');
}

function feed(hash: Hash, value: unknown): void {
  if (Array.isArray(value)) {
    hash.update('[');
    value.forEach((item, i) => {
      if (i > 0) hash.update(',');
      feed(hash, item);
    });
    hash.update(']');
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    hash.update('{');
    Object.keys(record)
      .sort()
      .forEach((k, i) => {
        if (i > 0) hash.update(',');
        hash.update(`${JSON.stringify(k)}:`);
        feed(hash, record[k]);
      });
    hash.update('}');
  } else {
    hash.update(JSON.stringify(value) ?? 'null');
  }
}

/** SHA-256 over length-prefixed parts (raw upload bytes plus their metadata). */
export function hashParts(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

const byId = (id: IdempotencyId) =>
  and(eq(keys.scope, id.scope), eq(keys.endpoint, id.endpoint), eq(keys.key, id.key));

/**
 * Claims the key for this request, or says why not. The claim is an in_flight row with a lease;
 * a lease that ran out belongs to a process that died, and may be taken over.
 */
export async function reserveKey(
  db: Db,
  id: IdempotencyId,
  bodyHash: string,
  leaseMs: number,
): Promise<Reservation> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = new Date();
    const lease = new Date(now.getTime() + leaseMs);
    const expired = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
    const inserted = await db
      .insert(keys)
      .values({ ...id, bodyHash, state: 'in_flight', lockedUntil: lease, createdAt: now })
      .onConflictDoNothing()
      .returning({ key: keys.key });
    if (inserted.length > 0) return { kind: 'reserved', lease };

    const [row] = await db.select().from(keys).where(byId(id));
    if (!row) continue;
    if (row.createdAt <= expired) {
      const renewed = await db
        .update(keys)
        .set({
          bodyHash,
          state: 'in_flight',
          lockedUntil: lease,
          status: null,
          responseBody: null,
          createdAt: now,
        })
        .where(and(byId(id), lt(keys.createdAt, expired)))
        .returning({ key: keys.key });
      if (renewed.length > 0) return { kind: 'reserved', lease };
      continue;
    }
    if (row.bodyHash !== bodyHash) return { kind: 'different_body' };
    if (row.state === 'done')
      return { kind: 'replay', status: row.status ?? 200, body: row.responseBody as Envelope };
    if (row.lockedUntil && row.lockedUntil > now) return { kind: 'in_progress' };
    const taken = await db
      .update(keys)
      .set({ lockedUntil: lease })
      .where(
        and(byId(id), eq(keys.state, 'in_flight'), or(isNull(keys.lockedUntil), lt(keys.lockedUntil, now))),
      )
      .returning({ key: keys.key });
    return taken.length > 0 ? { kind: 'reserved', lease } : { kind: 'in_progress' };
  }
  return { kind: 'in_progress' };
}

/** Stores the answer. False when the lease was lost to another process, which now owns the key. */
export async function completeKey(
  tx: Tx,
  id: IdempotencyId,
  lease: Date,
  outcome: Outcome,
): Promise<boolean> {
  const done = await tx
    .update(keys)
    .set({ state: 'done', status: outcome.status, responseBody: outcome.body, lockedUntil: null })
    .where(and(byId(id), eq(keys.state, 'in_flight'), eq(keys.lockedUntil, lease)))
    .returning({ key: keys.key });
  return done.length > 0;
}

export async function releaseKey(db: Db, id: IdempotencyId, lease: Date): Promise<void> {
  await db.delete(keys).where(and(byId(id), eq(keys.state, 'in_flight'), eq(keys.lockedUntil, lease)));
}

export type Guard = {
  /** Set when the request is answered at once: a replay or a conflict. */
  answer?: Outcome;
  /**
   * Applies the request's writes and stores its answer in one transaction, so a crash leaves
   * either both or neither. Retryable failures (429, 5xx) are not stored: the key is released.
   */
  finish(
    outcome: Outcome,
    options?: { write?: (tx: Tx) => Promise<void>; store?: boolean },
  ): Promise<Outcome>;
  /** Lets the key go without storing anything. */
  abandon(): Promise<void>;
};

const inProgress = (requestId: string) =>
  failure(
    requestId,
    sandboxError(
      'idempotency_conflict',
      'A request with this Idempotency-Key is still in progress; retry with the same key later.',
      { retryable: true },
    ),
    { 'Retry-After': '1' },
  );

class LeaseLost extends Error {}

export async function guardRequest(
  db: Db,
  request: {
    id: Omit<IdempotencyId, 'key'>;
    key: string | undefined;
    bodyHash: string;
    leaseMs: number;
    requestId: string;
  },
): Promise<Guard> {
  const { key, requestId } = request;
  if (key === undefined) {
    return {
      async finish(outcome, options) {
        const write = options?.write;
        if (write) await db.transaction(async (tx) => write(tx));
        return outcome;
      },
      abandon: async () => {},
    };
  }
  const id = { ...request.id, key };
  const reservation = await reserveKey(db, id, request.bodyHash, request.leaseMs);
  const noop = { finish: async (o: Outcome) => o, abandon: async () => {} };
  switch (reservation.kind) {
    case 'replay':
      return {
        ...noop,
        answer: {
          status: reservation.status,
          body: reservation.body,
          headers: { 'Idempotent-Replayed': 'true' },
        },
      };
    case 'different_body':
      return {
        ...noop,
        answer: failure(
          requestId,
          sandboxError(
            'idempotency_conflict',
            'This Idempotency-Key was used with a different request body; use a new key for a new request.',
          ),
        ),
      };
    case 'in_progress':
      return { ...noop, answer: inProgress(requestId) };
  }
  const { lease } = reservation;
  return {
    async finish(outcome, options) {
      const store = options?.store ?? !(outcome.status === 429 || outcome.status >= 500);
      const write = options?.write;
      if (!store) {
        if (write) await db.transaction(async (tx) => write(tx));
        await releaseKey(db, id, lease);
        return outcome;
      }
      try {
        await db.transaction(async (tx) => {
          if (!(await completeKey(tx, id, lease, outcome))) throw new LeaseLost();
          if (write) await write(tx);
        });
      } catch (err) {
        if (err instanceof LeaseLost) return inProgress(requestId);
        throw err;
      }
      return outcome;
    },
    abandon: () => releaseKey(db, id, lease),
  };
}
