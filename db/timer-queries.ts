import { and, asc, eq, gt, gte, isNull, lte, or, sql } from "drizzle-orm";
import type { AppDatabase } from "./client";
import { durableTimers, schedulerLeases, type DurableTimerRow } from "./schema";

/** Query functions for durable timers and the scheduler lease. */

export interface SchedulerLease {
  name: string;
  owner: string;
  token: number;
}

/**
 * Takes or renews the lease `name` for `owner` until `expiresAt` (epoch ms), unless another owner holds an
 * unexpired one. A new holder gets a larger token, so every write of an earlier holder is fenced out; a renewal
 * keeps the token.
 */
export function acquireSchedulerLease(
  db: AppDatabase,
  params: { name: string; owner: string; now: number; expiresAt: number },
): SchedulerLease | undefined {
  db.insert(schedulerLeases).values({ name: params.name }).onConflictDoNothing().run();
  const row = db
    .update(schedulerLeases)
    .set({
      token: sql`case when ${schedulerLeases.owner} = ${params.owner} then ${schedulerLeases.token} else ${schedulerLeases.token} + 1 end`,
      owner: params.owner,
      expiresAt: params.expiresAt,
    })
    .where(
      and(
        eq(schedulerLeases.name, params.name),
        or(eq(schedulerLeases.owner, params.owner), lte(schedulerLeases.expiresAt, params.now)),
      ),
    )
    .returning({ token: schedulerLeases.token })
    .get();
  return row ? { name: params.name, owner: params.owner, token: row.token } : undefined;
}

/** Gives the lease up (on shutdown), so another process takes over without waiting for it to expire. */
export function releaseSchedulerLease(db: AppDatabase, lease: SchedulerLease): void {
  db.update(schedulerLeases)
    .set({ expiresAt: 0 })
    .where(
      and(
        eq(schedulerLeases.name, lease.name),
        eq(schedulerLeases.owner, lease.owner),
        eq(schedulerLeases.token, lease.token),
      ),
    )
    .run();
}

/** Plans a timer; a timer with the same key is planned once (the first plan wins). */
export function scheduleTimer(
  db: AppDatabase,
  timer: { key: string; kind: string; runId: string; requestId: string | null; dueAt: number },
): void {
  db.insert(durableTimers).values(timer).onConflictDoNothing().run();
}

/**
 * Cancels the timers of a request that are not due yet at `at`. One already due is left to fire: its handler finds
 * the request answered (obsolete), or it is the timer whose own answer this is (an expiry), which settles it.
 */
export function cancelRequestTimers(db: AppDatabase, requestId: string, at: number): void {
  cancelRequestTimersQuery(db, requestId, at).run();
}

/** The statement of {@link cancelRequestTimers}, for checking its query plan (db/query-plans.test.ts). */
export function cancelRequestTimersQuery(db: AppDatabase, requestId: string, at: number) {
  return db
    .update(durableTimers)
    .set({ cancelledAt: at })
    .where(
      and(
        eq(durableTimers.requestId, requestId),
        isNull(durableTimers.firedAt),
        isNull(durableTimers.cancelledAt),
        gt(durableTimers.dueAt, at),
      ),
    );
}

/** Timers due at `now` that neither fired nor were cancelled, earliest first. */
export function listDueTimers(db: AppDatabase, params: { now: number; limit: number }): DurableTimerRow[] {
  return db
    .select()
    .from(durableTimers)
    .where(and(isNull(durableTimers.firedAt), isNull(durableTimers.cancelledAt), lte(durableTimers.dueAt, params.now)))
    .orderBy(asc(durableTimers.dueAt), asc(durableTimers.id))
    .limit(params.limit)
    .all();
}

export function findTimer(db: AppDatabase, id: number): DurableTimerRow | undefined {
  return db.select().from(durableTimers).where(eq(durableTimers.id, id)).get();
}

/** Marks a timer fired (or, when it no longer applies, cancelled); false when it already was either. */
export function settleTimer(
  db: AppDatabase,
  params: { id: number; at: number; outcome: "fired" | "obsolete" },
): boolean {
  return (
    db
      .update(durableTimers)
      .set(params.outcome === "fired" ? { firedAt: params.at } : { cancelledAt: params.at })
      .where(and(eq(durableTimers.id, params.id), isNull(durableTimers.firedAt), isNull(durableTimers.cancelledAt)))
      .run().changes === 1
  );
}

/** Records a failed attempt and when to try again. */
export function recordTimerFailure(db: AppDatabase, params: { id: number; error: string; retryAt: number }): void {
  db.update(durableTimers)
    .set({
      attempts: sql`${durableTimers.attempts} + 1`,
      lastError: params.error.slice(0, 2_000),
      dueAt: params.retryAt,
    })
    .where(eq(durableTimers.id, params.id))
    .run();
}

/** Timers fired at or after `since` (epoch ms), in firing order. */
export function listTimersFiredSince(db: AppDatabase, since: number): DurableTimerRow[] {
  return db
    .select()
    .from(durableTimers)
    .where(gte(durableTimers.firedAt, since))
    .orderBy(asc(durableTimers.firedAt), asc(durableTimers.id))
    .all();
}

export function listRunTimers(db: AppDatabase, runId: string): DurableTimerRow[] {
  return db
    .select()
    .from(durableTimers)
    .where(eq(durableTimers.runId, runId))
    .orderBy(asc(durableTimers.dueAt), asc(durableTimers.id))
    .all();
}
