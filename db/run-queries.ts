import { and, asc, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { AppDatabase } from "./client";
import { requestResponses, runs, type NewRunRow, type RequestResponseRow, type RunRow } from "./schema";

/** Query functions for the `runs` table. Each takes the database (or a transaction) first. */

export function insertRun(db: AppDatabase, row: NewRunRow): void {
  db.insert(runs).values(row).run();
}

export function findRun(db: AppDatabase, runId: string): RunRow | undefined {
  return db.select().from(runs).where(eq(runs.runId, runId)).get();
}

export interface RunCursor {
  createdAt: string;
  runId: string;
}

/** Newest first; `after` is the last row of the previous page. */
export function listRunsPage(db: AppDatabase, params: { status?: RunRow["status"]; limit: number; after?: RunCursor }): RunRow[] {
  const { status, limit, after } = params;
  const conditions = [
    status ? eq(runs.status, status) : undefined,
    after ? or(lt(runs.createdAt, after.createdAt), and(eq(runs.createdAt, after.createdAt), lt(runs.runId, after.runId))) : undefined,
  ].filter((condition) => condition !== undefined);
  return db
    .select()
    .from(runs)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(runs.createdAt), desc(runs.runId))
    .limit(limit)
    .all();
}

/** The inbox: runs awaiting review, oldest request first. */
export function listAwaitingReview(db: AppDatabase, params: { limit: number }): RunRow[] {
  return db
    .select()
    .from(runs)
    .where(eq(runs.status, "awaiting_review"))
    .orderBy(asc(runs.pendingSince), asc(runs.runId))
    .limit(params.limit)
    .all();
}

export function countRunsByStatus(db: AppDatabase, status: RunRow["status"]): number {
  return db.select({ count: sql<number>`count(*)` }).from(runs).where(eq(runs.status, status)).get()?.count ?? 0;
}

export function updateRun(db: AppDatabase, runId: string, changes: Partial<Omit<RunRow, "runId">>): void {
  db.update(runs).set(changes).where(eq(runs.runId, runId)).run();
}

/**
 * Takes (or renews) the lease on a run for `owner` until `expiresAt`, unless another owner holds an unexpired
 * one. One conditional UPDATE, so two processes can never both succeed.
 */
export function tryAcquireLease(db: AppDatabase, params: { runId: string; owner: string; now: number; expiresAt: number }): boolean {
  const { runId, owner, now, expiresAt } = params;
  const result = db
    .update(runs)
    .set({ leaseOwner: owner, leaseExpiresAt: expiresAt })
    .where(and(eq(runs.runId, runId), or(isNull(runs.leaseOwner), eq(runs.leaseOwner, owner), lt(runs.leaseExpiresAt, now))))
    .run();
  return result.changes === 1;
}

/** Releases the lease if `owner` still holds it. */
export function releaseLease(db: AppDatabase, params: { runId: string; owner: string }): void {
  db.update(runs)
    .set({ leaseOwner: null, leaseExpiresAt: null })
    .where(and(eq(runs.runId, params.runId), eq(runs.leaseOwner, params.owner)))
    .run();
}

/** Runs that were executing when their process died: still `running`, and nobody holds a live lease. */
export function listOrphanedRuns(db: AppDatabase, params: { now: number; limit: number }): RunRow[] {
  return db
    .select()
    .from(runs)
    .where(and(eq(runs.status, "running"), or(isNull(runs.leaseOwner), lt(runs.leaseExpiresAt, params.now))))
    .orderBy(asc(runs.createdAt))
    .limit(params.limit)
    .all();
}

/** Every recorded answer of a run, in the order they were recorded. */
export function listRunResponses(db: AppDatabase, runId: string): RequestResponseRow[] {
  return db.select().from(requestResponses).where(eq(requestResponses.runId, runId)).orderBy(asc(requestResponses.id)).all();
}
