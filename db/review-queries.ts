import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { AppDatabase } from "./client";
import {
  requestResponses,
  reviewDeadlines,
  reviewPolicies,
  reviewVotes,
  runAssignments,
  runs,
  type NewReviewVoteRow,
  type ReviewDeadlineRow,
  type ReviewPolicyRow,
  type ReviewVoteRow,
  type RunAssignmentRow,
} from "./schema";

/** Query functions for review decisions: approval policies, approvals (votes) and assignments. */

export function currentPolicy(db: AppDatabase, workflowName: string): ReviewPolicyRow | undefined {
  return db
    .select()
    .from(reviewPolicies)
    .where(eq(reviewPolicies.workflowName, workflowName))
    .orderBy(desc(reviewPolicies.version))
    .limit(1)
    .get();
}

export function listPolicies(db: AppDatabase, workflowName: string): ReviewPolicyRow[] {
  return db
    .select()
    .from(reviewPolicies)
    .where(eq(reviewPolicies.workflowName, workflowName))
    .orderBy(asc(reviewPolicies.version))
    .all();
}

/** Appends the workflow's next policy version and returns it. */
export function appendPolicy(db: AppDatabase, row: Omit<ReviewPolicyRow, "version">): ReviewPolicyRow {
  return db
    .insert(reviewPolicies)
    .values({
      ...row,
      version: sql`(select coalesce(max(${reviewPolicies.version}), 0) + 1 from ${reviewPolicies} where ${reviewPolicies.workflowName} = ${row.workflowName})`,
    })
    .returning()
    .get();
}

export function listRunVotes(db: AppDatabase, runId: string): ReviewVoteRow[] {
  return db.select().from(reviewVotes).where(eq(reviewVotes.runId, runId)).orderBy(asc(reviewVotes.id)).all();
}

/** Inserts an approval; false when the person already approved that request (it counts once). */
export function insertVote(db: AppDatabase, row: NewReviewVoteRow): boolean {
  return db.insert(reviewVotes).values(row).onConflictDoNothing().run().changes === 1;
}

/**
 * The outcome of trying to record an approval that does not complete the review: `recorded` (now `count` of the
 * quorum), `duplicate` (this person's approval is already counted), `completes` (it would be the last one needed:
 * nothing is written, the caller applies it as the engine's answer), or `not_pending` (the request was answered or
 * is no longer the run's current one).
 */
export type VoteOutcome = { kind: "recorded" | "duplicate" | "completes"; count: number } | { kind: "not_pending" };

/**
 * Records `vote` (an approval of `pending`) unless it completes the quorum of `required`. Call it inside a
 * transaction that took the write lock first (the store's, `BEGIN IMMEDIATE`), so approvals from several processes
 * are counted one after another: of two approvals racing for the last place, exactly one sees `completes`. The
 * caller writes the vote's audit entry in the same transaction when it is recorded.
 */
export function recordApprovalUnlessFinal(
  db: AppDatabase,
  params: { vote: NewReviewVoteRow; pending: PendingDraft; required: number },
): VoteOutcome {
  const { vote, pending, required } = params;
  const run = db
    .select({ status: runs.status, pendingRequestId: runs.pendingRequestId })
    .from(runs)
    .where(eq(runs.runId, vote.runId))
    .get();
  const answered = db
    .select({ id: requestResponses.id })
    .from(requestResponses)
    .where(eq(requestResponses.requestId, pending.requestId))
    .limit(1)
    .get();
  if (!run || run.status !== "awaiting_review" || run.pendingRequestId !== pending.requestId || answered)
    return { kind: "not_pending" };
  const counted = countedApprovals(db, pending);
  if (counted.some((other) => other.voterKey === vote.voterKey)) return { kind: "duplicate", count: counted.length };
  if (counted.length + 1 >= required) return { kind: "completes", count: counted.length };
  insertVote(db, vote);
  return { kind: "recorded", count: counted.length + 1 };
}

export function listRunAssignments(db: AppDatabase, runId: string): RunAssignmentRow[] {
  return db
    .select()
    .from(runAssignments)
    .where(eq(runAssignments.runId, runId))
    .orderBy(asc(runAssignments.assignedAt), asc(runAssignments.assigneeName))
    .all();
}

/** Adds an assignment; false when that person was already assigned. */
export function insertAssignment(db: AppDatabase, row: RunAssignmentRow): boolean {
  return db.insert(runAssignments).values(row).onConflictDoNothing().run().changes === 1;
}

/** Removes an assignment; false when that person was not assigned. */
export function deleteAssignment(db: AppDatabase, runId: string, assigneeId: string): boolean {
  return (
    db
      .delete(runAssignments)
      .where(and(eq(runAssignments.runId, runId), eq(runAssignments.assigneeId, assigneeId)))
      .run().changes === 1
  );
}

/** The draft awaiting review, as approvals see it: its request, its text's hash, and the request it is an edit of. */
export interface PendingDraft {
  requestId: string;
  draftSha256: string;
  editedFrom: string | null;
}

/**
 * The approvals that count for a pending draft, from votes that include those of its request and of the request it
 * is an edit of: approvals of its request, and the edit that produced it (an edit is its author's approval of the
 * edited text, bound to that text's hash). Oldest first; one per person.
 */
export function approvalsOf(votes: readonly ReviewVoteRow[], pending: PendingDraft): ReviewVoteRow[] {
  const seen = new Set<string>();
  return votes.filter((vote) => {
    const counts =
      (vote.requestId === pending.requestId && vote.kind === "approve") ||
      (pending.editedFrom !== null &&
        vote.requestId === pending.editedFrom &&
        vote.kind === "edit" &&
        vote.draftSha256 === pending.draftSha256);
    if (!counts || seen.has(vote.voterKey)) return false;
    seen.add(vote.voterKey);
    return true;
  });
}

function votesOfRequests(db: AppDatabase, requestIds: readonly string[]): ReviewVoteRow[] {
  const votes: ReviewVoteRow[] = [];
  for (let at = 0; at < requestIds.length; at += 5_000) {
    votes.push(
      ...db
        .select()
        .from(reviewVotes)
        .where(inArray(reviewVotes.requestId, requestIds.slice(at, at + 5_000)))
        .orderBy(asc(reviewVotes.id))
        .all(),
    );
  }
  return votes;
}

/** The approvals that count for a pending draft (see {@link approvalsOf}). */
export function countedApprovals(db: AppDatabase, pending: PendingDraft): ReviewVoteRow[] {
  return approvalsOf(
    votesOfRequests(db, [pending.requestId, ...(pending.editedFrom ? [pending.editedFrom] : [])]),
    pending,
  );
}

/** The policy a run started with: its version, or (null) the defaults from before policies existed. */
export function policyForRun(
  db: AppDatabase,
  run: { policyVersion: number | null; requiredApprovals: number },
  workflowName: string,
): Omit<ReviewPolicyRow, "createdAt" | "createdById" | "createdByName"> {
  const row =
    run.policyVersion === null
      ? undefined
      : db
          .select()
          .from(reviewPolicies)
          .where(and(eq(reviewPolicies.workflowName, workflowName), eq(reviewPolicies.version, run.policyVersion)))
          .get();
  return row ?? { ...DEFAULT_POLICY, workflowName, version: 0, requiredApprovals: run.requiredApprovals };
}

/** What a workflow's policy is before an admin saves one (and for runs from before policies existed). */
export const DEFAULT_POLICY = {
  requiredApprovals: 1,
  deadlineMinutes: 1_440,
  reminderMinutesBefore: 120,
  escalateToUserIds: "[]",
  expireAfterMinutes: null,
} as const;

// ----- deadlines ---------------------------------------------------------------------------------------------

export function insertDeadline(
  db: AppDatabase,
  row: Pick<ReviewDeadlineRow, "requestId" | "runId" | "askedAt" | "dueAt">,
): boolean {
  return db.insert(reviewDeadlines).values(row).onConflictDoNothing().run().changes === 1;
}

export function findDeadline(db: AppDatabase, requestId: string): ReviewDeadlineRow | undefined {
  return db.select().from(reviewDeadlines).where(eq(reviewDeadlines.requestId, requestId)).get();
}

export function updateDeadline(
  db: AppDatabase,
  requestId: string,
  changes: Partial<Pick<ReviewDeadlineRow, "remindedAt" | "escalatedAt" | "escalatedTo" | "expiredAt" | "closedAt">>,
): void {
  db.update(reviewDeadlines).set(changes).where(eq(reviewDeadlines.requestId, requestId)).run();
}

/** A run awaiting review whose pending request has no deadline yet (runs from before deadlines existed). */
export interface RunWithoutDeadline {
  runId: string;
  pendingRequestId: string;
  pendingSince: string;
  policyVersion: number | null;
  requiredApprovals: number;
}

/** Runs awaiting review whose pending request has no deadline yet (paused before deadlines existed). */
export function listRunsWithoutDeadline(db: AppDatabase, limit: number): RunWithoutDeadline[] {
  return db
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
    .limit(limit)
    .all() as RunWithoutDeadline[];
}
