import type { DurableTimerRow } from "@/db/schema";
import type { Queries, Store } from "@/db/store";
import { LeasedLoop, type Clock } from "./leased-loop";

export type { Clock } from "./leased-loop";

/**
 * What a timer does when it is due. `settle` records the timer as fired (or as obsolete, when what it was for is
 * gone) in one transaction with the rows `write` adds, and only while this process still holds the scheduler lease:
 * that is what makes a timer fire once in effect. Work that cannot share that transaction (an answer through the
 * engine) happens before `settle` and must be idempotent: a process that dies between the two fires it again.
 */
export type TimerHandler = (
  timer: DurableTimerRow,
  settle: (write: (tx: Queries) => Promise<"fired" | "obsolete">) => Promise<boolean>,
) => Promise<void> | void;

export interface DurableTimersOptions {
  /** Handlers by timer kind. */
  handlers: Record<string, TimerHandler>;
  clock?: Clock;
  /** How long the scheduler lease lasts without renewal (each tick renews it). */
  leaseMs?: number;
  /** Timers fired per tick, at most. */
  batchSize?: number;
  /** Runs at the start of each tick while this process holds the lease (planning timers that are missing). */
  prepare?: () => Promise<void>;
  onError: (error: unknown, context: Record<string, unknown>) => void;
}

const LEASE_NAME = "timers";
/** A failed fire is tried again after this long, growing with each attempt up to an hour. */
const RETRY_BASE_MS = 5_000;

/**
 * Durable timers, engine-agnostic: rows in the database (planned inside the transactions of what they belong
 * to), fired by whichever process holds the scheduler lease, at least once, and once in effect. A process that
 * was down when a timer fell due fires it at its next tick.
 */
export class DurableTimers extends LeasedLoop<DurableTimerRow> {
  private readonly clock: Clock;

  constructor(
    store: Store,
    private readonly options: DurableTimersOptions,
  ) {
    const clock = options.clock ?? Date.now;
    super(store, {
      name: LEASE_NAME,
      clock,
      leaseMs: options.leaseMs ?? 15_000,
      batchSize: options.batchSize ?? 50,
      onError: options.onError,
    });
    this.clock = clock;
  }

  protected override async prepare(): Promise<void> {
    await this.options.prepare?.();
  }

  protected override dueItems(now: number, limit: number): Promise<DurableTimerRow[]> {
    return this.store.queries.listDueTimers({ now, limit });
  }

  /** Fires one timer; true when it fired or was found obsolete. */
  protected override async handle(timer: DurableTimerRow): Promise<boolean> {
    const handler = this.options.handlers[timer.kind];
    let settled = false;
    const settle = async (write: (tx: Queries) => Promise<"fired" | "obsolete">) =>
      (settled = await this.store.transaction(async (tx) => {
        const at = this.clock();
        // fenced: a process that lost the lease (it stalled, another took over) writes nothing
        if (!(await this.renew(at, tx))) return false;
        const outcome = await write(tx);
        if (!(await tx.settleTimer({ id: timer.id, at, outcome }))) throw new TimerAlreadySettled();
        return true;
      }));
    try {
      if (!handler) throw new Error(`No handler for timer kind "${timer.kind}"`);
      await handler(timer, async (write) => {
        try {
          return await settle(write);
        } catch (error) {
          if (error instanceof TimerAlreadySettled) return false; // another holder settled it first: nothing written
          throw error;
        }
      });
      return settled;
    } catch (error) {
      const retryAt = this.clock() + Math.min(3_600_000, RETRY_BASE_MS * 2 ** timer.attempts);
      await this.store.queries.recordTimerFailure({
        id: timer.id,
        error: error instanceof Error ? error.message : String(error),
        retryAt,
      });
      this.options.onError(error, { during: "timer", timerId: timer.id, kind: timer.kind, runId: timer.runId });
      return false;
    }
  }
}

/** Rolls back a settle whose timer another process settled meanwhile. */
class TimerAlreadySettled extends Error {}
