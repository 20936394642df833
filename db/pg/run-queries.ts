import { and, asc, eq, sql } from "drizzle-orm";
import type { RunListRow } from "../run-queries";
import type { PgDatabase } from "./client";
import { reviewDeadlines, reviewVotes, runAssignments, runs } from "./schema";

/**
 * The `runs` queries on PostgreSQL, each the twin of the one of the same name in db/run-queries.ts (same rows, same
 * order; db/pg/run-queries.int.test.ts compares them on the same data). So far: the inbox.
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
  db: PgDatabase,
  params: { limit: number; assigneeId?: string },
): Promise<RunListRow[]> {
  return awaitingReviewQuery(db, params);
}

/** The statement of {@link listAwaitingReview} (benchmarks run its SQL on the raw driver). */
export function awaitingReviewQuery(db: PgDatabase, params: { limit: number; assigneeId?: string }) {
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
