import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Queries, Store } from "@/db/store";
import type { SchedulerLease } from "@/db/timer-queries";

/** Epoch milliseconds now; injected so tests move time instead of sleeping. */
export type Clock = () => number;

export interface LeasedLoopOptions {
  /** The scheduler lease's name: one holder per name across processes. */
  name: string;
  clock: Clock;
  leaseMs: number;
  /** Items handled per tick, at most. */
  batchSize: number;
  onError: (error: unknown, context: Record<string, unknown>) => void;
}

/**
 * Background work that one process at a time does (firing timers, delivering notifications): each tick takes or
 * renews a named scheduler lease and, while holding it, handles the items that are due, renewing before each one
 * (an item can be slow) and stopping when another process took over. A lease is fenced by a token that grows with
 * every takeover, so a process that stalled past its lease finds out ({@link renew}) before it writes.
 */
export abstract class LeasedLoop<Item> {
  private readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private lease: SchedulerLease | undefined;
  private interval: ReturnType<typeof setInterval> | undefined;
  private ticking: Promise<number> | undefined;

  constructor(
    protected readonly store: Store,
    private readonly loop: LeasedLoopOptions,
  ) {}

  /** What is due at `now`, at most `limit` items, oldest first. */
  protected abstract dueItems(now: number, limit: number): Promise<Item[]>;

  /** Handles one item under the lease; true when it counts as done (fired, delivered, found obsolete). */
  protected abstract handle(item: Item): Promise<boolean>;

  /** Runs at the start of each tick while this process holds the lease. */
  protected async prepare(): Promise<void> {}

  /** Ticks now and every `intervalMs` until {@link stop}. */
  start(intervalMs: number): void {
    if (this.interval) return;
    void this.tick();
    this.interval = setInterval(() => void this.tick(), intervalMs);
    this.interval.unref?.();
  }

  /** Stops ticking and gives the lease up, so another process takes over at once. */
  async stop(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    this.interval = undefined;
    await this.ticking;
    if (this.lease) await this.store.queries.releaseSchedulerLease(this.lease);
    this.lease = undefined;
  }

  /**
   * Takes or renews the lease and, while holding it, handles what is due; returns how many items were done. Ticks
   * do not overlap within a process.
   */
  tick(): Promise<number> {
    this.ticking ??= this.run().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /**
   * Ticks until a tick does nothing (at most `maxPasses`: a tick works in batches), for a shell that drains what is
   * due without a server. Returns the total done.
   */
  async drain(maxPasses = 20): Promise<number> {
    let total = 0;
    for (let pass = 0; pass < maxPasses; pass++) {
      const done = await this.tick();
      total += done;
      if (done === 0) break;
    }
    return total;
  }

  /**
   * Extends the lease from `now` if this process still holds it: true when no other process took it over since
   * this tick began (same token), even if it lapsed meanwhile (slow work). Call it before each piece of work and
   * inside the transaction that records it (pass its `tx`): a process that lost the lease records nothing.
   */
  protected async renew(now: number, tx: Queries = this.store.queries): Promise<boolean> {
    if (!this.lease) return false;
    const renewed = await tx.acquireSchedulerLease({
      name: this.loop.name,
      owner: this.owner,
      now,
      expiresAt: now + this.loop.leaseMs,
    });
    return renewed?.token === this.lease.token;
  }

  private async run(): Promise<number> {
    try {
      const now = this.loop.clock();
      this.lease = await this.store.queries.acquireSchedulerLease({
        name: this.loop.name,
        owner: this.owner,
        now,
        expiresAt: now + this.loop.leaseMs,
      });
      if (!this.lease) return 0;
      await this.prepare();
      let done = 0;
      for (const item of await this.dueItems(now, this.loop.batchSize)) {
        if (!(await this.renew(this.loop.clock()))) break; // taken over meanwhile: the new holder does the rest
        if (await this.handle(item)) done++;
      }
      return done;
    } catch (error) {
      this.loop.onError(error, { during: `${this.loop.name} tick` });
      return 0;
    }
  }
}
