import 'server-only';
import os from 'node:os';
import { getDbHandle } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { randomId } from '@/lib/ids';
import { recordChunkRetry } from '@/lib/metrics/registry';
import { batchBlockedProfiles, takeBatchSlot } from '@/lib/sendmux/budget';
import { sendBatch } from '@/lib/sendmux/operations';
import { UnknownProfileError } from '@/lib/sendmux/profiles';
import type { SendmuxResult } from '@/lib/sendmux/types';
import type { BatchOutcome } from '@/lib/sendmux/operations';
import {
  cancelledJobsWithPendingChunks,
  claimChunk,
  completeChunk,
  reclaimAllLeases,
  releaseForRetry,
  releaseUnsent,
  renewLease,
  type ChunkRef,
  type ClaimedChunk,
} from '@/lib/batch/chunk-store';
import { cancelPendingChunks, finishIdleJobs } from '@/lib/batch/job-controls';
import { decideWholeFailure, rowsFromBatch, rowsFromWholeFailure } from '@/lib/batch/outcome';
import { noteChunkSettled, onBatchWake } from '@/lib/batch/wake';

export type ChunkEvent = ChunkRef & {
  key: string;
  worker: string;
  /** done/failed: results recorded; retry: back to pending under the same key; lost: another worker owns it now. */
  outcome: 'done' | 'failed' | 'retry' | 'lost' | 'released';
  queued: number;
  failed: number;
  errorCode?: string;
};

export type BatchRunnerOptions = {
  /** Chunks in flight at once in this process (default BATCH_WORKERS). */
  workers?: number;
  /** Lease length (default BATCH_LEASE_SECONDS); renewed every third of it while a chunk is held. */
  leaseSeconds?: number;
  /** How often an idle worker looks for work when nothing wakes it. */
  pollMs?: number;
  workerId?: string;
  onChunk?: (event: ChunkEvent) => void;
};

const log = (message: string, err?: unknown) =>
  console.error(
    `[sendmux-console] batch: ${message}${err === undefined ? '' : `: ${err instanceof Error ? err.message : String(err)}`}`,
  );

const unrefSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref?.();
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Claims chunks of running jobs and sends them, `workers` at a time, each start taken from its
 * key's shared rate budget (lib/sendmux/budget.ts). Safe to run in several processes on one PostgreSQL: claims skip locked rows
 * and never take a live lease; a chunk whose worker died is re-sent under its SAME key.
 */
export class BatchRunner {
  readonly workerId: string;
  private readonly workers: number;
  private readonly leaseSeconds: number;
  private readonly pollMs: number;
  private readonly onChunk?: (event: ChunkEvent) => void;
  private readonly stopController = new AbortController();
  private wakeController = new AbortController();
  private loops: Promise<void>[] = [];
  private unsubscribe: (() => void) | undefined;
  private lastHousekeeping = 0;
  private lastExpiredCheck = 0;

  constructor(options: BatchRunnerOptions = {}) {
    const env = getEnv();
    this.workers = options.workers ?? env.batchWorkers;
    this.leaseSeconds = options.leaseSeconds ?? env.batchLeaseSeconds;
    this.pollMs = options.pollMs ?? 1_000;
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomId(6)}`;
    this.onChunk = options.onChunk;
  }

  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  async start(): Promise<void> {
    const handle = await getDbHandle();
    if (handle.kind === 'pglite') {
      const n = await reclaimAllLeases(handle.db);
      if (n > 0)
        log(`re-queued ${n} chunk(s) left sending by a previous run; they are re-sent under their same keys`);
    }
    await this.housekeep(true);
    this.unsubscribe = onBatchWake(() => this.wake());
    for (let i = 0; i < this.workers; i++) this.loops.push(this.loop());
  }

  /** Stops claiming, lets chunks already sent record their results, then resolves. */
  async stop(): Promise<void> {
    this.stopController.abort();
    this.wake();
    this.unsubscribe?.();
    await Promise.all(this.loops);
    this.loops = [];
  }

  wake(): void {
    const current = this.wakeController;
    this.wakeController = new AbortController();
    current.abort();
  }

  private idle(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return unrefSleep(ms, AbortSignal.any([this.wakeController.signal, this.stopController.signal]));
  }

  /**
   * A chunk whose worker died (lease expired) is looked for every few seconds, busy or idle, so it
   * never waits for the end of a long job; otherwise the next pending chunk.
   */
  private async claim(): Promise<ClaimedChunk | null> {
    const { db } = await getDbHandle();
    const skip = batchBlockedProfiles().profiles;
    const now = Date.now();
    if (now - this.lastExpiredCheck >= Math.min(this.leaseSeconds * 1000, 5_000)) {
      this.lastExpiredCheck = now;
      const expired = await claimChunk(db, this.workerId, this.leaseSeconds, skip, 'expired');
      if (expired) return expired;
    }
    return claimChunk(db, this.workerId, this.leaseSeconds, skip, 'pending');
  }

  private async loop(): Promise<void> {
    let justWorked = false;
    while (!this.stopping) {
      let chunk: ClaimedChunk | null;
      try {
        chunk = await this.claim();
      } catch (err) {
        log('claiming a chunk failed', err);
        await this.idle(this.pollMs);
        continue;
      }
      if (!chunk) {
        // Right after the last chunk, so the job turns done at once rather than at the next poll.
        await this.housekeep(justWorked).catch((err: unknown) => log('housekeeping failed', err));
        justWorked = false;
        // A key whose window is spent frees up at a known time: look again then, not a poll later.
        const { until } = batchBlockedProfiles();
        await this.idle(
          until === null ? this.pollMs : Math.max(5, Math.min(this.pollMs, until - Date.now())),
        );
        continue;
      }
      justWorked = true;
      try {
        await this.process(chunk);
      } catch (err) {
        // The lease runs out and the chunk is claimed again under its same key.
        log(`chunk ${chunk.idempotencyKey} failed in the console`, err);
        await this.idle(this.pollMs);
      }
    }
  }

  /** Marks finished jobs done and settles chunks of jobs cancelled mid-send. */
  private async housekeep(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastHousekeeping < this.pollMs) return;
    this.lastHousekeeping = now;
    const { db } = await getDbHandle();
    for (const jobId of await cancelledJobsWithPendingChunks(db)) await cancelPendingChunks(db, jobId);
    await finishIdleJobs(db);
  }

  private emit(chunk: ClaimedChunk, outcome: ChunkEvent['outcome'], extra: Partial<ChunkEvent> = {}): void {
    if (outcome === 'done' || outcome === 'failed') noteChunkSettled(chunk.jobId);
    this.onChunk?.({
      jobId: chunk.jobId,
      chunkNo: chunk.chunkNo,
      try: chunk.try,
      key: chunk.idempotencyKey,
      worker: this.workerId,
      outcome,
      queued: 0,
      failed: 0,
      ...extra,
    });
  }

  private async process(chunk: ClaimedChunk): Promise<void> {
    const { db } = await getDbHandle();
    let lost = false;
    const renewal = setInterval(
      () => {
        renewLease(db, chunk, this.workerId, this.leaseSeconds)
          .then((ok) => {
            if (!ok) lost = true;
          })
          .catch((err: unknown) => log(`renewing the lease of ${chunk.idempotencyKey} failed`, err));
      },
      Math.max(500, (this.leaseSeconds * 1000) / 3),
    );
    renewal.unref?.();
    try {
      const slot = await takeBatchSlot(chunk.profile, this.stopController.signal);
      if (lost) return this.emit(chunk, 'lost');
      if (!slot.granted || this.stopping) {
        // The start (if taken) goes unused: one request less than the budget allows, never one more.
        await releaseUnsent(db, chunk, this.workerId);
        return this.emit(chunk, 'released');
      }

      let result: SendmuxResult<BatchOutcome>;
      try {
        result = await sendBatch(chunk.profile, chunk.messages, {
          idempotencyKey: chunk.idempotencyKey,
          context: {
            source: 'batch',
            userId: chunk.createdBy,
            userEmail: chunk.createdByEmail,
            jobId: chunk.jobId,
            chunkNo: chunk.chunkNo,
          },
          // Whole-request retries are the runner's: they go back through the budget and count towards the chunk's cap.
          maxAttempts: 1,
          rateClass: 'batch',
          firstSlotTaken: true,
        });
      } catch (err) {
        result = thrownResult(err);
      }

      if (result.ok) {
        const outcomes = rowsFromBatch(chunk.rowNos, result.data, result.requestId);
        const mine = await completeChunk(db, chunk, this.workerId, 'done', outcomes, {
          errorCode: null,
          requestId: result.requestId ?? null,
        });
        const queued = outcomes.filter((o) => o.status === 'queued').length;
        return this.emit(chunk, mine ? 'done' : 'lost', { queued, failed: outcomes.length - queued });
      }

      const decision = decideWholeFailure(result, chunk.sends);
      const last = { errorCode: result.error.code, requestId: result.requestId ?? null };
      if (decision.kind === 'fail') {
        const outcomes = rowsFromWholeFailure(chunk.rowNos, result.error, result.requestId, decision.note);
        const mine = await completeChunk(db, chunk, this.workerId, 'failed', outcomes, last);
        return this.emit(chunk, mine ? 'failed' : 'lost', {
          failed: outcomes.length,
          errorCode: result.error.code,
        });
      }
      const jobStatus = await releaseForRetry(db, chunk, this.workerId, decision.delayMs, last);
      if (jobStatus !== null) recordChunkRetry(chunk.profile, result.error.code);
      if (jobStatus === 'cancelled') await cancelPendingChunks(db, chunk.jobId);
      this.emit(chunk, jobStatus === null ? 'lost' : 'retry', { errorCode: result.error.code });
    } finally {
      clearInterval(renewal);
    }
  }
}

/** sendBatch throws only for console-side problems; they become whole-request failures of the chunk. */
function thrownResult(err: unknown): SendmuxResult<BatchOutcome> {
  const base = { ok: false as const, status: null, rateLimit: {}, attempts: 0, logId: 0 };
  if (err instanceof UnknownProfileError) {
    return {
      ...base,
      error: {
        code: 'unknown_profile',
        message: `The key profile "${err.profile}" this job was started with is no longer configured`,
        retryable: false,
      },
    };
  }
  return {
    ...base,
    error: {
      code: 'unknown_error',
      message: `The console could not send this chunk: ${err instanceof Error ? err.message : String(err)}`,
      retryable: true,
    },
  };
}

const globalForRunner = globalThis as typeof globalThis & { __sendmuxBatchRunner?: BatchRunner };

/** Starts this process's batch workers once (called from lib/startup.ts); later calls return the same runner. */
export function startBatchRunner(): BatchRunner {
  if (!globalForRunner.__sendmuxBatchRunner) {
    const runner = new BatchRunner();
    globalForRunner.__sendmuxBatchRunner = runner;
    runner.start().catch((err: unknown) => {
      log('the batch runner could not start', err);
      globalForRunner.__sendmuxBatchRunner = undefined;
    });
  }
  return globalForRunner.__sendmuxBatchRunner;
}
