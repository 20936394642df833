import { and, asc, count, desc, eq, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Lease, RunCursor, RunHeadColumns, RunListRow, RunStatusFilter } from "../run-queries";
import type { NewRunRow, RequestResponseRow, RunRow } from "../schema";
import type { PgExecutor } from "./client";
import { requestResponses, reviewDeadlines, reviewVotes, runAssignments, runs } from "./schema";

/**
 * The `runs` queries on PostgreSQL, each the twin of the one of the same name in db/run-queries.ts (same rows, same
 * order; db/pg/run-queries.int.test.ts compares them on the same data). Every write an execution makes is fenced by
 * its lease (owner and token), as on SQLite.
 */

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
  pendingDraftSha256: runs.pendingDraftSha256,
  pendingEditedFrom: runs.pendingEditedFrom,
  draftPreview: runs.draftPreview,
  queuedAt: runs.queuedAt,
  requiredApprovals: runs.requiredApprovals,
};

/** As on SQLite: approvals that count for the pending draft, and the assignees as `id US name` pairs joined by RS. */
const reviewColumns = {
  approvalCount: sql<number>`((select count(*) from ${reviewVotes} v where v.request_id = ${runs.pendingRequestId} and v.kind = 'approve')
    + (select count(*) from ${reviewVotes} v where v.request_id = ${runs.pendingEditedFrom} and v.kind = 'edit' and v.draft_sha256 = ${runs.pendingDraftSha256}))::int`,
  assigneeList: sql<
    string | null
  >`(select string_agg(a.assignee_id || chr(31) || a.assignee_name, chr(30) order by a.assignee_id) from ${runAssignments} a where a.run_id = ${runs.runId})`,
  deadlineAskedAt: reviewDeadlines.askedAt,
  deadlineDueAt: reviewDeadlines.dueAt,
  deadlineRemindedAt: reviewDeadlines.remindedAt,
  deadlineEscalatedAt: reviewDeadlines.escalatedAt,
  deadlineEscalatedTo: reviewDeadlines.escalatedTo,
};

const withDeadline = eq(reviewDeadlines.requestId, runs.pendingRequestId);

/** The inbox (see db/run-queries.ts): due first, then longest waiting; with `assigneeId`, that person's only. */
export async function listAwaitingReview(
  db: PgExecutor,
  params: { limit: number; assigneeId?: string },
): Promise<RunListRow[]> {
  return awaitingReviewQuery(db, params);
}

/** The statement of {@link listAwaitingReview} (benchmarks run its SQL on the raw driver). */
export function awaitingReviewQuery(db: PgExecutor, params: { limit: number; assigneeId?: string }) {
  const assigned = params.assigneeId
    ? sql`exists (select 1 from ${runAssignments} where ${runAssignments.runId} = ${runs.runId} and ${runAssignments.assigneeId} = ${params.assigneeId})`
    : undefined;
  return db
    .select({ ...listColumns, ...reviewColumns })
    .from(runs)
    .leftJoin(reviewDeadlines, withDeadline)
    .where(and(eq(runs.status, "awaiting_review"), assigned))
    .orderBy(sql`${reviewDeadlines.dueAt} is null`, asc(reviewDeadlines.dueAt), asc(runs.pendingSince), asc(runs.runId))
    .limit(params.limit);
}

export async function insertRun(db: PgExecutor, row: NewRunRow): Promise<void> {
  await db.insert(runs).values(row);
}

export async function findRun(db: PgExecutor, runId: string): Promise<RunRow | undefined> {
  const [row] = await db.select().from(runs).where(eq(runs.runId, runId)).limit(1);
  return row;
}

function statusCondition(status: RunStatusFilter) {
  if (status === "queued") return and(eq(runs.status, "running"), isNotNull(runs.queuedAt));
  if (status === "running") return and(eq(runs.status, "running"), isNull(runs.queuedAt));
  return eq(runs.status, status);
}

/** Newest first; `after` is the last row of the previous page. */
export async function listRunsPage(
  db: PgExecutor,
  params: { status?: RunStatusFilter; limit: number; after?: RunCursor },
): Promise<RunListRow[]> {
  const { status, limit, after } = params;
  const conditions = [
    status ? statusCondition(status) : undefined,
    after
      ? or(lt(runs.createdAt, after.createdAt), and(eq(runs.createdAt, after.createdAt), lt(runs.runId, after.runId)))
      : undefined,
  ].filter((condition) => condition !== undefined);
  return db
    .select({ ...listColumns, ...reviewColumns })
    .from(runs)
    .leftJoin(reviewDeadlines, withDeadline)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(runs.createdAt), desc(runs.runId))
    .limit(limit);
}

/** Every status with its number of runs (statuses without runs are absent). */
export async function countRunsGroupedByStatus(db: PgExecutor): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: runs.status, count: sql<number>`count(*)::int` })
    .from(runs)
    .groupBy(runs.status);
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}

export async function countRunsByStatus(db: PgExecutor, status: RunRow["status"]): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(runs)
    .where(eq(runs.status, status));
  return row?.count ?? 0;
}

/** Where a run waiting for a model slot stands in the line (1 = next), by when it started waiting. */
export async function queuePositionOf(db: PgExecutor, run: { runId: string; queuedAt: string }): Promise<number> {
  const ahead = or(lt(runs.queuedAt, run.queuedAt), and(eq(runs.queuedAt, run.queuedAt), lte(runs.runId, run.runId)));
  const [row] = await db
    .select({ n: count() })
    .from(runs)
    .where(and(eq(runs.status, "running"), ahead));
  return row?.n ?? 0;
}

const held = (lease: Lease) =>
  and(eq(runs.runId, lease.runId), eq(runs.leaseOwner, lease.owner), eq(runs.leaseToken, lease.token));

/**
 * Takes the lease on a run for `owner` until `expiresAt`, unless another owner holds an unexpired one, with a token
 * one more than any before (every earlier holder is fenced out). One conditional UPDATE: the row lock it takes makes
 * a second process wait and then find the condition false.
 */
export async function acquireLease(
  db: PgExecutor,
  params: { runId: string; owner: string; now: number; expiresAt: number },
): Promise<Lease | undefined> {
  const [row] = await db
    .update(runs)
    .set({ leaseOwner: params.owner, leaseExpiresAt: params.expiresAt, leaseToken: sql`${runs.leaseToken} + 1` })
    .where(
      and(
        eq(runs.runId, params.runId),
        or(isNull(runs.leaseOwner), eq(runs.leaseOwner, params.owner), lt(runs.leaseExpiresAt, params.now)),
      ),
    )
    .returning({ token: runs.leaseToken });
  return row ? { runId: params.runId, owner: params.owner, token: row.token } : undefined;
}

/** Extends a lease that is still held. Returns false once another execution has taken the run. */
export async function renewLease(db: PgExecutor, lease: Lease, expiresAt: number): Promise<boolean> {
  const rows = await db
    .update(runs)
    .set({ leaseExpiresAt: expiresAt })
    .where(held(lease))
    .returning({ runId: runs.runId });
  return rows.length === 1;
}

/** Releases the lease if it is still held (never someone else's). */
export async function releaseLease(db: PgExecutor, lease: Lease): Promise<void> {
  await db.update(runs).set({ leaseOwner: null, leaseExpiresAt: null }).where(held(lease));
}

/** Writes the run row's projection of its newest checkpoint, if `lease` still holds the run. Returns whether it did. */
export async function projectRunHead(db: PgExecutor, lease: Lease, head: RunHeadColumns): Promise<boolean> {
  const rows = await db
    .update(runs)
    .set({
      status: head.status,
      headCheckpointId: head.headCheckpointId,
      updatedAt: head.updatedAt,
      iteration: head.iteration === null ? sql`${runs.iteration}` : head.iteration,
      pendingRequestId: head.pendingRequestId,
      pendingSince: head.pendingSince,
      pendingDraftSha256: head.pendingDraftSha256,
      pendingEditedFrom: head.pendingEditedFrom,
      draftPreview: head.draftPreview,
      publishedText: head.publishedText,
      errorCode: null,
      errorMessage: null,
      errorDetail: null,
      queuedAt: null,
    })
    .where(held(lease))
    .returning({ runId: runs.runId });
  return rows.length === 1;
}

/** Marks the run failed, if `lease` still holds the run. Returns whether it did. */
export async function recordRunFailure(
  db: PgExecutor,
  lease: Lease,
  failure: { errorCode: string; errorMessage: string; errorDetail: string | null; updatedAt: string },
): Promise<boolean> {
  const rows = await db
    .update(runs)
    .set({ status: "failed", ...failure, queuedAt: null })
    .where(held(lease))
    .returning({ runId: runs.runId });
  return rows.length === 1;
}

/** Marks the run as waiting for a model slot since `queuedAt` (null: no longer waiting), if `lease` still holds it. */
export async function setRunQueued(db: PgExecutor, lease: Lease, queuedAt: string | null): Promise<boolean> {
  const rows = await db.update(runs).set({ queuedAt }).where(held(lease)).returning({ runId: runs.runId });
  return rows.length === 1;
}

/** Runs left running by a process that died: status running and no live lease, oldest first. */
export async function listOrphanedRuns(db: PgExecutor, params: { now: number; limit: number }): Promise<RunRow[]> {
  return db
    .select()
    .from(runs)
    .where(and(eq(runs.status, "running"), or(isNull(runs.leaseOwner), lt(runs.leaseExpiresAt, params.now))))
    .orderBy(asc(runs.createdAt), asc(runs.runId))
    .limit(params.limit);
}

/** Every recorded answer of a run, in the order they were recorded. */
export async function listRunResponses(db: PgExecutor, runId: string): Promise<RequestResponseRow[]> {
  return db.select().from(requestResponses).where(eq(requestResponses.runId, runId)).orderBy(asc(requestResponses.id));
}
