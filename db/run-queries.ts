import { and, asc, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { AppDatabase } from "./client";
import { checkpoints, requestResponses, runs, type NewRunRow, type RequestResponseRow, type RunRow } from "./schema";

/** Query functions for the `runs` table. Each takes the database (or a transaction) first. */

const placeholder = sql.placeholder;
/** A placeholder usable as an UPDATE value (drizzle types `set()` values as columns or SQL). */
const value = (name: string) => sql`${placeholder(name)}`;

/**
 * The statements on the hot path (every checkpoint, every lease renewal, every request), prepared once per
 * connection: building and preparing a drizzle query per call cost more than running it (bench/).
 */
function prepareStatements(db: AppDatabase) {
  const headColumns = {
    headCheckpointId: value("headCheckpointId"),
    updatedAt: value("updatedAt"),
    errorCode: null,
    errorMessage: null,
    status: value("status"),
  };
  return {
    findRun: db.select().from(runs).where(eq(runs.runId, placeholder("runId"))).prepare(),
    trackPaused: db
      .update(runs)
      .set({
        ...headColumns,
        iteration: value("iteration"),
        pendingRequestId: value("pendingRequestId"),
        pendingSince: value("pendingSince"),
        draftPreview: value("draftPreview"),
      })
      .where(eq(runs.runId, placeholder("runId")))
      .prepare(),
    trackOther: db
      .update(runs)
      // iteration is null except when answering from an older checkpoint moves the run back to that draft
      .set({ ...headColumns, pendingRequestId: null, pendingSince: null, iteration: sql`coalesce(${placeholder("iteration")}, ${runs.iteration})` })
      .where(eq(runs.runId, placeholder("runId")))
      .prepare(),
    tryAcquireLease: db
      .update(runs)
      .set({ leaseOwner: value("owner"), leaseExpiresAt: value("expiresAt") })
      .where(and(eq(runs.runId, placeholder("runId")), or(isNull(runs.leaseOwner), eq(runs.leaseOwner, placeholder("owner")), lt(runs.leaseExpiresAt, placeholder("now")))))
      .prepare(),
    checkpointSummary: db.select({ summary: checkpoints.summary }).from(checkpoints).where(eq(checkpoints.checkpointId, placeholder("checkpointId"))).prepare(),
    releaseLease: db
      .update(runs)
      .set({ leaseOwner: null, leaseExpiresAt: null })
      .where(and(eq(runs.runId, placeholder("runId")), eq(runs.leaseOwner, placeholder("owner"))))
      .prepare(),
  };
}

const statementCache = new WeakMap<AppDatabase, ReturnType<typeof prepareStatements>>();
function statements(db: AppDatabase) {
  let prepared = statementCache.get(db);
  if (!prepared) {
    prepared = prepareStatements(db);
    statementCache.set(db, prepared);
  }
  return prepared;
}

/** A checkpoint's stored summary (JSON text), for the run row's bookkeeping. */
export function findCheckpointSummaryText(db: AppDatabase, checkpointId: string): string | undefined {
  return statements(db).checkpointSummary.get({ checkpointId })?.summary;
}

/** The run row's new head: paused for review (with the request) or any other status. */
export function trackRunHead(
  db: AppDatabase,
  params: { runId: string; headCheckpointId: string; updatedAt: string; status: RunRow["status"] } & (
    | { paused: true; iteration: number; pendingRequestId: string; pendingSince: string; draftPreview: string }
    | { paused: false; iteration: number | null }
  ),
): void {
  if (params.paused) statements(db).trackPaused.run(params);
  else statements(db).trackOther.run(params);
}

export function insertRun(db: AppDatabase, row: NewRunRow): void {
  db.insert(runs).values(row).run();
}

export function findRun(db: AppDatabase, runId: string): RunRow | undefined {
  return statements(db).findRun.get({ runId });
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

/** What listings show of a run: everything but the lease, the head, the published text and the error. */
const listColumns = {
  runId: runs.runId,
  brief: runs.brief,
  status: runs.status,
  iteration: runs.iteration,
  submittedBy: runs.submittedBy,
  createdAt: runs.createdAt,
  updatedAt: runs.updatedAt,
  pendingRequestId: runs.pendingRequestId,
  pendingSince: runs.pendingSince,
  draftPreview: runs.draftPreview,
};
export type RunListRow = { [K in keyof typeof listColumns]: RunRow[K] };

/** The inbox: runs awaiting review, oldest request first. Only the listed columns (reading all 17 cost ~25%). */
export function listAwaitingReview(db: AppDatabase, params: { limit: number }): RunListRow[] {
  return db
    .select(listColumns)
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
  return statements(db).tryAcquireLease.run(params).changes === 1;
}

/** Releases the lease if `owner` still holds it. */
export function releaseLease(db: AppDatabase, params: { runId: string; owner: string }): void {
  statements(db).releaseLease.run(params);
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
