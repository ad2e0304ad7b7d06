import 'server-only';

/**
 * Runs one-row writes that arrive together as one statement, the way PostgreSQL's group commit
 * shares one WAL flush: an item added while `concurrency` writes are already running waits for
 * the next one and goes with everything else that arrived meanwhile (at most `max` items). When
 * nothing is running an item goes at once, alone, so a quiet console writes exactly as before.
 *
 * `many` writes several items and returns one result per item, in order. When it fails, each of
 * those items is written again on its own through `one`, so one bad row (say a body PostgreSQL
 * refuses) fails only its own caller.
 */
export class WriteCoalescer<I, O> {
  private readonly queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;
  /** Writes run and items written so far (how many items went per statement, for benchmarks and tests). */
  readonly stats = { writes: 0, items: 0, coalescedWrites: 0 };

  constructor(
    private readonly write: {
      one: (item: I) => Promise<O>;
      many: (items: I[]) => Promise<O[]>;
    },
    private readonly options: { max: number; concurrency: number },
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Items waiting for a write slot (tests and benchmarks look). */
  get waiting(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.max);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(batch: typeof this.queue): Promise<void> {
    this.stats.writes++;
    this.stats.items += batch.length;
    if (batch.length > 1) this.stats.coalescedWrites++;
    if (batch.length === 1) {
      const [only] = batch;
      await this.write.one(only!.item).then(only!.resolve, only!.reject);
      return;
    }
    let results: O[];
    try {
      results = await this.write.many(batch.map((b) => b.item));
      if (results.length !== batch.length)
        throw new Error(`a coalesced write returned ${results.length} results for ${batch.length} items`);
    } catch {
      await Promise.all(batch.map((b) => this.write.one(b.item).then(b.resolve, b.reject)));
      return;
    }
    batch.forEach((b, i) => b.resolve(results[i]!));
  }
}
