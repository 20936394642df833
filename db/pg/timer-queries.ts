import { and, asc, eq, gt, gte, isNull, lte, or, sql } from "drizzle-orm";
import type { DurableTimerRow } from "../schema";
import type { SchedulerLease } from "../timer-queries";
import type { PgExecutor } from "./client";
import { durableTimers, schedulerLeases } from "./schema";

/**
 * Durable timers and the scheduler lease on PostgreSQL, each the twin of the one of the same name in
 * db/timer-queries.ts (same rows, same order, same outcomes; db/pg/timer-and-audit-queries.int.test.ts compares
 * them). Each takes the database or a transaction of the caller's (a timer is settled in the same transaction as
 * the lease renewal that fences it). Every write is one statement whose row lock makes a concurrent writer wait
 * and then re-check its condition, so none relies on SQLite's single writer.
 */

/**
 * Takes or renews the lease `name` for `owner` until `expiresAt` (epoch ms), unless another owner holds an
 * unexpired one. A new holder gets a larger token, so every write of an earlier holder is fenced out; a renewal
 * keeps the token. One upsert: the first acquisition inserts the row (token 1, as SQLite's insert-then-update
 * gives); later ones lock it, and a second process waits, then finds the condition false (PostgreSQL re-checks
 * the WHERE of ON CONFLICT DO UPDATE on the row as the first left it).
 */
export async function acquireSchedulerLease(
  db: PgExecutor,
  params: { name: string; owner: string; now: number; expiresAt: number },
): Promise<SchedulerLease | undefined> {
  const [row] = await db
    .insert(schedulerLeases)
    .values({ name: params.name, owner: params.owner, token: 1, expiresAt: params.expiresAt })
    .onConflictDoUpdate({
      target: schedulerLeases.name,
      set: {
        token: sql`case when ${schedulerLeases.owner} = ${params.owner} then ${schedulerLeases.token} else ${schedulerLeases.token} + 1 end`,
        owner: params.owner,
        expiresAt: params.expiresAt,
      },
      setWhere: or(eq(schedulerLeases.owner, params.owner), lte(schedulerLeases.expiresAt, params.now)),
    })
    .returning({ token: schedulerLeases.token });
  return row ? { name: params.name, owner: params.owner, token: row.token } : undefined;
}

/** Gives the lease up (on shutdown), so another process takes over without waiting for it to expire. */
export async function releaseSchedulerLease(db: PgExecutor, lease: SchedulerLease): Promise<void> {
  await db
    .update(schedulerLeases)
    .set({ expiresAt: 0 })
    .where(
      and(
        eq(schedulerLeases.name, lease.name),
        eq(schedulerLeases.owner, lease.owner),
        eq(schedulerLeases.token, lease.token),
      ),
    );
}

/** Plans a timer; a timer with the same key is planned once (the first plan wins). */
export async function scheduleTimer(
  db: PgExecutor,
  timer: { key: string; kind: string; runId: string; requestId: string | null; dueAt: number },
): Promise<void> {
  await db.insert(durableTimers).values(timer).onConflictDoNothing();
}

/**
 * Cancels the timers of a request that are not due yet at `at`. One already due is left to fire: its handler finds
 * the request answered (obsolete), or it is the timer whose own answer this is (an expiry), which settles it.
 */
export async function cancelRequestTimers(db: PgExecutor, requestId: string, at: number): Promise<void> {
  await cancelRequestTimersQuery(db, requestId, at);
}

/** The statement of {@link cancelRequestTimers}, for checking its query plan. */
export function cancelRequestTimersQuery(db: PgExecutor, requestId: string, at: number) {
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
export async function listDueTimers(
  db: PgExecutor,
  params: { now: number; limit: number },
): Promise<DurableTimerRow[]> {
  return db
    .select()
    .from(durableTimers)
    .where(and(isNull(durableTimers.firedAt), isNull(durableTimers.cancelledAt), lte(durableTimers.dueAt, params.now)))
    .orderBy(asc(durableTimers.dueAt), asc(durableTimers.id))
    .limit(params.limit);
}

export async function findTimer(db: PgExecutor, id: number): Promise<DurableTimerRow | undefined> {
  const [row] = await db.select().from(durableTimers).where(eq(durableTimers.id, id)).limit(1);
  return row;
}

/** Marks a timer fired (or, when it no longer applies, cancelled); false when it already was either. */
export async function settleTimer(
  db: PgExecutor,
  params: { id: number; at: number; outcome: "fired" | "obsolete" },
): Promise<boolean> {
  const rows = await db
    .update(durableTimers)
    .set(params.outcome === "fired" ? { firedAt: params.at } : { cancelledAt: params.at })
    .where(and(eq(durableTimers.id, params.id), isNull(durableTimers.firedAt), isNull(durableTimers.cancelledAt)))
    .returning({ id: durableTimers.id });
  return rows.length === 1;
}

/** Records a failed attempt and when to try again. */
export async function recordTimerFailure(
  db: PgExecutor,
  params: { id: number; error: string; retryAt: number },
): Promise<void> {
  await db
    .update(durableTimers)
    .set({
      attempts: sql`${durableTimers.attempts} + 1`,
      lastError: params.error.slice(0, 2_000),
      dueAt: params.retryAt,
    })
    .where(eq(durableTimers.id, params.id));
}

/** Timers fired at or after `since` (epoch ms), in firing order. */
export async function listTimersFiredSince(db: PgExecutor, since: number): Promise<DurableTimerRow[]> {
  return db
    .select()
    .from(durableTimers)
    .where(gte(durableTimers.firedAt, since))
    .orderBy(asc(durableTimers.firedAt), asc(durableTimers.id));
}

export async function listRunTimers(db: PgExecutor, runId: string): Promise<DurableTimerRow[]> {
  return db
    .select()
    .from(durableTimers)
    .where(eq(durableTimers.runId, runId))
    .orderBy(asc(durableTimers.dueAt), asc(durableTimers.id));
}
