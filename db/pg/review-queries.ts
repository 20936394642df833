import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import {
  approvalsOf,
  DEFAULT_POLICY,
  type PendingDraft,
  type RunWithoutDeadline,
  type VoteOutcome,
} from "../review-queries";
import type { NewReviewVoteRow, ReviewDeadlineRow, ReviewPolicyRow, ReviewVoteRow, RunAssignmentRow } from "../schema";
import type { PgExecutor } from "./client";
import { requestResponses, reviewDeadlines, reviewPolicies, reviewVotes, runAssignments, runs } from "./schema";

/**
 * The review queries on PostgreSQL (approval policies, approvals (votes), assignments, deadlines), each the twin of
 * the one of the same name in db/review-queries.ts (same rows, same order; db/pg/review-queries.int.test.ts compares
 * them on the same data). Where SQLite's single writer made a read-then-write safe, these take a lock instead:
 * {@link appendPolicy} an advisory lock per workflow, {@link recordApprovalUnlessFinal} the run's row.
 */

export async function currentPolicy(db: PgExecutor, workflowName: string): Promise<ReviewPolicyRow | undefined> {
  const [row] = await db
    .select()
    .from(reviewPolicies)
    .where(eq(reviewPolicies.workflowName, workflowName))
    .orderBy(desc(reviewPolicies.version))
    .limit(1);
  return row;
}

export async function listPolicies(db: PgExecutor, workflowName: string): Promise<ReviewPolicyRow[]> {
  return db
    .select()
    .from(reviewPolicies)
    .where(eq(reviewPolicies.workflowName, workflowName))
    .orderBy(asc(reviewPolicies.version));
}

/**
 * Appends the workflow's next policy version and returns it. SQLite's single writer makes its `max(version) + 1`
 * safe; here two processes saving at once would read the same maximum, so the insert first takes a
 * transaction-scoped advisory lock on the workflow (inside the caller's transaction if `db` is one, else in a
 * transaction of its own): concurrent appends wait for each other and get distinct versions. The insert is a
 * statement after the lock, so (at READ COMMITTED, the default) it sees the version the previous holder committed.
 */
export async function appendPolicy(db: PgExecutor, row: Omit<ReviewPolicyRow, "version">): Promise<ReviewPolicyRow> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`draftgate:review_policies:${row.workflowName}`}, 0))`,
    );
    const [inserted] = await tx
      .insert(reviewPolicies)
      .values({
        ...row,
        version: sql`(select coalesce(max(${reviewPolicies.version}), 0) + 1 from ${reviewPolicies} where ${reviewPolicies.workflowName} = ${row.workflowName})`,
      })
      .returning();
    return inserted!;
  });
}

export async function listRunVotes(db: PgExecutor, runId: string): Promise<ReviewVoteRow[]> {
  return db.select().from(reviewVotes).where(eq(reviewVotes.runId, runId)).orderBy(asc(reviewVotes.id));
}

/** Inserts an approval; false when the person already approved that request (it counts once). */
export async function insertVote(db: PgExecutor, row: NewReviewVoteRow): Promise<boolean> {
  // the id is the database's (an identity column generated always)
  const { id: _id, ...values } = row;
  const rows = await db.insert(reviewVotes).values(values).onConflictDoNothing().returning({ id: reviewVotes.id });
  return rows.length === 1;
}

/**
 * Records `vote` (an approval of `pending`) unless it completes the quorum of `required`. Call it inside a
 * transaction: it first locks the run's row (`FOR UPDATE`), so approvals from several processes are counted one
 * after another (as SQLite's IMMEDIATE transaction does): of two approvals racing for the last place, exactly one sees
 * `completes`. The run's projection (a new pending request) updates that row, so it waits for, or is waited for by,
 * this check. The caller writes the vote's audit entry in the same transaction when it is recorded.
 */
export async function recordApprovalUnlessFinal(
  tx: PgExecutor,
  params: { vote: NewReviewVoteRow; pending: PendingDraft; required: number },
): Promise<VoteOutcome> {
  const { vote, pending, required } = params;
  const [run] = await tx
    .select({ status: runs.status, pendingRequestId: runs.pendingRequestId })
    .from(runs)
    .where(eq(runs.runId, vote.runId))
    .limit(1)
    .for("update");
  const [answered] = await tx
    .select({ id: requestResponses.id })
    .from(requestResponses)
    .where(eq(requestResponses.requestId, pending.requestId))
    .limit(1);
  if (!run || run.status !== "awaiting_review" || run.pendingRequestId !== pending.requestId || answered)
    return { kind: "not_pending" };
  const counted = await countedApprovals(tx, pending);
  if (counted.some((other) => other.voterKey === vote.voterKey)) return { kind: "duplicate", count: counted.length };
  if (counted.length + 1 >= required) return { kind: "completes", count: counted.length };
  await insertVote(tx, vote);
  return { kind: "recorded", count: counted.length + 1 };
}

export async function listRunAssignments(db: PgExecutor, runId: string): Promise<RunAssignmentRow[]> {
  return db
    .select()
    .from(runAssignments)
    .where(eq(runAssignments.runId, runId))
    .orderBy(asc(runAssignments.assignedAt), asc(runAssignments.assigneeName));
}

/** Adds an assignment; false when that person was already assigned. */
export async function insertAssignment(db: PgExecutor, row: RunAssignmentRow): Promise<boolean> {
  const rows = await db
    .insert(runAssignments)
    .values(row)
    .onConflictDoNothing()
    .returning({ runId: runAssignments.runId });
  return rows.length === 1;
}

/** Removes an assignment; false when that person was not assigned. */
export async function deleteAssignment(db: PgExecutor, runId: string, assigneeId: string): Promise<boolean> {
  const rows = await db
    .delete(runAssignments)
    .where(and(eq(runAssignments.runId, runId), eq(runAssignments.assigneeId, assigneeId)))
    .returning({ runId: runAssignments.runId });
  return rows.length === 1;
}

async function votesOfRequests(db: PgExecutor, requestIds: readonly string[]): Promise<ReviewVoteRow[]> {
  const votes: ReviewVoteRow[] = [];
  for (let at = 0; at < requestIds.length; at += 5_000) {
    votes.push(
      ...(await db
        .select()
        .from(reviewVotes)
        .where(inArray(reviewVotes.requestId, requestIds.slice(at, at + 5_000)))
        .orderBy(asc(reviewVotes.id))),
    );
  }
  return votes;
}

/** The approvals that count for a pending draft (see {@link approvalsOf}, shared with SQLite). */
export async function countedApprovals(db: PgExecutor, pending: PendingDraft): Promise<ReviewVoteRow[]> {
  return approvalsOf(
    await votesOfRequests(db, [pending.requestId, ...(pending.editedFrom ? [pending.editedFrom] : [])]),
    pending,
  );
}

/** The policy a run started with: its version, or (null) the defaults from before policies existed. */
export async function policyForRun(
  db: PgExecutor,
  run: { policyVersion: number | null; requiredApprovals: number },
  workflowName: string,
): Promise<Omit<ReviewPolicyRow, "createdAt" | "createdById" | "createdByName">> {
  const [row] =
    run.policyVersion === null
      ? []
      : await db
          .select()
          .from(reviewPolicies)
          .where(and(eq(reviewPolicies.workflowName, workflowName), eq(reviewPolicies.version, run.policyVersion)))
          .limit(1);
  return row ?? { ...DEFAULT_POLICY, workflowName, version: 0, requiredApprovals: run.requiredApprovals };
}

// ----- deadlines ---------------------------------------------------------------------------------------------

export async function insertDeadline(
  db: PgExecutor,
  row: Pick<ReviewDeadlineRow, "requestId" | "runId" | "askedAt" | "dueAt">,
): Promise<boolean> {
  const rows = await db
    .insert(reviewDeadlines)
    .values(row)
    .onConflictDoNothing()
    .returning({ requestId: reviewDeadlines.requestId });
  return rows.length === 1;
}

export async function findDeadline(db: PgExecutor, requestId: string): Promise<ReviewDeadlineRow | undefined> {
  const [row] = await db.select().from(reviewDeadlines).where(eq(reviewDeadlines.requestId, requestId)).limit(1);
  return row;
}

export async function updateDeadline(
  db: PgExecutor,
  requestId: string,
  changes: Partial<Pick<ReviewDeadlineRow, "remindedAt" | "escalatedAt" | "escalatedTo" | "expiredAt" | "closedAt">>,
): Promise<void> {
  await db.update(reviewDeadlines).set(changes).where(eq(reviewDeadlines.requestId, requestId));
}

/** Runs awaiting review whose pending request has no deadline yet (paused before deadlines existed). */
export async function listRunsWithoutDeadline(db: PgExecutor, limit: number): Promise<RunWithoutDeadline[]> {
  return (await db
    .select({
      runId: runs.runId,
      pendingRequestId: runs.pendingRequestId,
      pendingSince: runs.pendingSince,
      policyVersion: runs.policyVersion,
      requiredApprovals: runs.requiredApprovals,
    })
    .from(runs)
    .where(
      and(
        eq(runs.status, "awaiting_review"),
        sql`${runs.pendingRequestId} is not null and not exists (select 1 from ${reviewDeadlines} d where d.request_id = ${runs.pendingRequestId})`,
      ),
    )
    .limit(limit)) as RunWithoutDeadline[];
}
