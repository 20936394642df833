import { and, asc, count, desc, eq, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { AppDatabase } from "./client";
import {
  requestResponses,
  reviewDeadlines,
  reviewVotes,
  runAssignments,
  runs,
  type NewRunRow,
  type RequestResponseRow,
  type RunRow,
} from "./schema";

/** Query functions for the `runs` table. Each takes the database (or a transaction) first. */

const placeholder = sql.placeholder;
/** A placeholder usable as an UPDATE value (drizzle types `set()` values as columns or SQL). */
const value = (name: string) => sql`${placeholder(name)}`;

/** An execution's hold on a run: every write it makes is conditional on owner and token still being these. */
export interface Lease {
  runId: string;
  owner: string;
  token: number;
}

/** The run row's columns that project the run's newest checkpoint (lib/services/run-projection.ts). */
export interface RunHeadColumns {
  status: RunRow["status"];
  headCheckpointId: string;
  updatedAt: string;
  /** Null keeps the stored draft number. */
  iteration: number | null;
  pendingRequestId: string | null;
  pendingSince: string | null;
  pendingDraftSha256: string | null;
  pendingEditedFrom: string | null;
  draftPreview: string | null;
  publishedText: string | null;
}

const held = and(
  eq(runs.runId, placeholder("runId")),
  eq(runs.leaseOwner, placeholder("owner")),
  eq(runs.leaseToken, placeholder("token")),
);

/**
 * The statements on the hot path (every checkpoint, every lease renewal, every request), prepared once per
 * connection: building and preparing a drizzle query per call cost more than running it (bench/).
 */
function prepareStatements(db: AppDatabase) {
  return {
    findRun: db
      .select()
      .from(runs)
      .where(eq(runs.runId, placeholder("runId")))
      .prepare(),
    projectHead: db
      .update(runs)
      .set({
        status: value("status"),
        headCheckpointId: value("headCheckpointId"),
        updatedAt: value("updatedAt"),
        iteration: sql`coalesce(${placeholder("iteration")}, ${runs.iteration})`,
        pendingRequestId: value("pendingRequestId"),
        pendingSince: value("pendingSince"),
        pendingDraftSha256: value("pendingDraftSha256"),
        pendingEditedFrom: value("pendingEditedFrom"),
        draftPreview: value("draftPreview"),
        publishedText: value("publishedText"),
        errorCode: null,
        errorMessage: null,
        errorDetail: null,
        // a new checkpoint means the execution got past any wait for a model slot
        queuedAt: null,
      })
      .where(held)
      .prepare(),
    recordFailure: db
      .update(runs)
      .set({
        status: "failed",
        errorCode: value("errorCode"),
        errorMessage: value("errorMessage"),
        errorDetail: value("errorDetail"),
        updatedAt: value("updatedAt"),
        queuedAt: null,
      })
      .where(held)
      .prepare(),
    setQueued: db
      .update(runs)
      .set({ queuedAt: value("queuedAt") })
      .where(held)
      .prepare(),
    acquireLease: db
      .update(runs)
      .set({ leaseOwner: value("owner"), leaseExpiresAt: value("expiresAt"), leaseToken: sql`${runs.leaseToken} + 1` })
      .where(
        and(
          eq(runs.runId, placeholder("runId")),
          or(
            isNull(runs.leaseOwner),
            eq(runs.leaseOwner, placeholder("owner")),
            lt(runs.leaseExpiresAt, placeholder("now")),
          ),
        ),
      )
      .returning({ token: runs.leaseToken })
      .prepare(),
    renewLease: db
      .update(runs)
      .set({ leaseExpiresAt: value("expiresAt") })
      .where(held)
      .prepare(),
    releaseLease: db.update(runs).set({ leaseOwner: null, leaseExpiresAt: null }).where(held).prepare(),
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

/** Writes the run row's projection of its newest checkpoint, if `lease` still holds the run. Returns whether it did. */
export function projectRunHead(db: AppDatabase, lease: Lease, head: RunHeadColumns): boolean {
  return statements(db).projectHead.run({ ...lease, ...head }).changes === 1;
}

/**
 * Marks the run failed, if `lease` still holds the run: `errorMessage` in words for everyone who may act on it,
 * `errorDetail` (the provider's own message) for admins. Returns whether it did.
 */
export function recordRunFailure(
  db: AppDatabase,
  lease: Lease,
  failure: { errorCode: string; errorMessage: string; errorDetail: string | null; updatedAt: string },
): boolean {
  return statements(db).recordFailure.run({ ...lease, ...failure }).changes === 1;
}

/** Marks the run as waiting for a model slot since `queuedAt` (null: no longer waiting), if `lease` still holds it. */
export function setRunQueued(db: AppDatabase, lease: Lease, queuedAt: string | null): boolean {
  return statements(db).setQueued.run({ ...lease, queuedAt }).changes === 1;
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

/** A stored status, or "queued": running, but held back waiting for a model slot. */
export type RunStatusFilter = RunRow["status"] | "queued";

function statusCondition(status: RunStatusFilter) {
  if (status === "queued") return and(eq(runs.status, "running"), isNotNull(runs.queuedAt));
  if (status === "running") return and(eq(runs.status, "running"), isNull(runs.queuedAt));
  return eq(runs.status, status);
}

/** Newest first; `after` is the last row of the previous page. */
export function listRunsPage(
  db: AppDatabase,
  params: { status?: RunStatusFilter; limit: number; after?: RunCursor },
): RunListRow[] {
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
  pendingDraftSha256: runs.pendingDraftSha256,
  pendingEditedFrom: runs.pendingEditedFrom,
  draftPreview: runs.draftPreview,
  queuedAt: runs.queuedAt,
  requiredApprovals: runs.requiredApprovals,
};
/**
 * Approvals that count for the pending draft (approvals of its request, and the edit it came from; the two never
 * share a voter: an editor's approval of the edited text is refused as a duplicate), and the assignees as
 * `id US name` pairs separated by RS. Correlated subqueries on indexed columns, so a 10,000-run inbox is one query.
 */
const reviewColumns = {
  approvalCount: sql<number>`((select count(*) from ${reviewVotes} v where v.request_id = ${runs.pendingRequestId} and v.kind = 'approve')
    + (select count(*) from ${reviewVotes} v where v.request_id = ${runs.pendingEditedFrom} and v.kind = 'edit' and v.draft_sha256 = ${runs.pendingDraftSha256}))`,
  assigneeList: sql<
    string | null
  >`(select group_concat(a.assignee_id || char(31) || a.assignee_name, char(30) order by a.assignee_id) from ${runAssignments} a where a.run_id = ${runs.runId})`,
  // the pending request's deadline, joined on pending_request_id (null for other runs)
  deadlineAskedAt: reviewDeadlines.askedAt,
  deadlineDueAt: reviewDeadlines.dueAt,
  deadlineRemindedAt: reviewDeadlines.remindedAt,
  deadlineEscalatedAt: reviewDeadlines.escalatedAt,
  deadlineEscalatedTo: reviewDeadlines.escalatedTo,
};
export type RunListRow = { [K in keyof typeof listColumns]: RunRow[K] } & {
  approvalCount: number;
  assigneeList: string | null;
  deadlineAskedAt: string | null;
  deadlineDueAt: string | null;
  deadlineRemindedAt: string | null;
  deadlineEscalatedAt: string | null;
  deadlineEscalatedTo: string | null;
};
const withDeadline = eq(reviewDeadlines.requestId, runs.pendingRequestId);

/**
 * The inbox: runs awaiting review, the one due first on top (overdue ones are due earliest), then by how long they
 * have waited; with `assigneeId`, only those assigned to that person. Only the listed columns (reading all cost ~25%).
 */
export function listAwaitingReview(db: AppDatabase, params: { limit: number; assigneeId?: string }): RunListRow[] {
  const assigned = params.assigneeId
    ? sql`exists (select 1 from ${runAssignments} where ${runAssignments.runId} = ${runs.runId} and ${runAssignments.assigneeId} = ${params.assigneeId})`
    : undefined;
  return db
    .select({ ...listColumns, ...reviewColumns })
    .from(runs)
    .leftJoin(reviewDeadlines, withDeadline)
    .where(and(eq(runs.status, "awaiting_review"), assigned))
    .orderBy(sql`${reviewDeadlines.dueAt} is null`, asc(reviewDeadlines.dueAt), asc(runs.pendingSince), asc(runs.runId))
    .limit(params.limit)
    .all();
}

/** Every status with its number of runs (statuses without runs are absent). */
export function countRunsGroupedByStatus(db: AppDatabase): Record<string, number> {
  const rows = db
    .select({ status: runs.status, count: sql<number>`count(*)` })
    .from(runs)
    .groupBy(runs.status)
    .all();
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}

export function countRunsByStatus(db: AppDatabase, status: RunRow["status"]): number {
  return (
    db
      .select({ count: sql<number>`count(*)` })
      .from(runs)
      .where(eq(runs.status, status))
      .get()?.count ?? 0
  );
}

/**
 * Takes the lease on a run for `owner` until `expiresAt`, unless another owner holds an unexpired one, and
 * returns it with its new token (one more than any before, so every earlier holder is fenced out). One
 * conditional UPDATE, so two processes can never both succeed.
 */
export function acquireLease(
  db: AppDatabase,
  params: { runId: string; owner: string; now: number; expiresAt: number },
): Lease | undefined {
  const row = statements(db).acquireLease.get(params);
  return row ? { runId: params.runId, owner: params.owner, token: row.token } : undefined;
}

/** Extends a lease that is still held. Returns false once another execution has taken the run. */
export function renewLease(db: AppDatabase, lease: Lease, expiresAt: number): boolean {
  return statements(db).renewLease.run({ ...lease, expiresAt }).changes === 1;
}

/** Releases the lease if it is still held (never someone else's). */
export function releaseLease(db: AppDatabase, lease: Lease): void {
  statements(db).releaseLease.run({ ...lease });
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
  return db
    .select()
    .from(requestResponses)
    .where(eq(requestResponses.runId, runId))
    .orderBy(asc(requestResponses.id))
    .all();
}

/**
 * A queued run's place in line (1 is next): the runs waiting for a model slot since before it, ties broken by
 * run id. Slots are handed out per process, so across several processes this is the place among all of them.
 */
export function queuePositionOf(db: AppDatabase, run: { runId: string; queuedAt: string }): number {
  const ahead = or(lt(runs.queuedAt, run.queuedAt), and(eq(runs.queuedAt, run.queuedAt), lte(runs.runId, run.runId)));
  return (
    db
      .select({ n: count() })
      .from(runs)
      .where(and(eq(runs.status, "running"), ahead))
      .get()?.n ?? 0
  );
}
