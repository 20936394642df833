import { z } from "zod";
import type { CheckpointHeader, CheckpointSummary } from "@/lib/workflow";
import { decisionOf, HumanApprovalRequest, releaseNotesDetailsSchema, reviewAnswerSchema } from "@/lib/release-notes";
import { approvalsOf } from "@/db/review-queries";
import type { RunListRow } from "@/db/run-queries";
import type {
  RequestResponseRow,
  ReviewDeadlineRow,
  ReviewVoteRow,
  RunAssignmentRow,
  RunAuditRow,
  RunPublicationRow,
  RunRow,
} from "@/db/schema";
import type { SignInMethod } from "./actor";
import type {
  Approval,
  AuditEntry,
  CheckpointListItem,
  Decision,
  DraftVersion,
  Publication,
  ReviewRequest,
  ReviewRound,
  RunDetail,
  RunListItem,
  RunPermissions,
} from "./dto";
import { ServiceError } from "./errors";
import { draftSha256 } from "./review-decisions";

/** Turning rows and checkpoint headers into the DTOs pages and the CLI read. Pure: no I/O, no writes. */

export interface RunRecords {
  run: RunRow;
  /** Newest first, as stores list them. */
  headers: readonly CheckpointHeader[];
  responses: readonly RequestResponseRow[];
  audit: readonly RunAuditRow[];
  publications: readonly RunPublicationRow[];
  votes: readonly ReviewVoteRow[];
  assignments: readonly RunAssignmentRow[];
  /** The pending request's deadline, if it has one. */
  deadline: ReviewDeadlineRow | undefined;
  /** The policy the run started with. */
  policy: RunDetail["policy"];
  isExecutingHere: boolean;
  permissions: RunPermissions;
  /** While queued, its place in line. */
  queuePosition: number | null;
  /** Whether the reader may see the raw failure detail (admins). */
  showsErrorDetail: boolean;
}

/**
 * A run as its page shows it, from its row, checkpoint headers, recorded answers, approvals, audit trail and
 * published versions. The head is the row's head checkpoint; drafts and rounds follow the head's lineage; requests
 * left unanswered on another branch are superseded.
 */
export function runDetailOf(records: RunRecords): RunDetail {
  const {
    run,
    headers,
    responses,
    audit,
    publications,
    votes,
    isExecutingHere,
    permissions,
    queuePosition,
    showsErrorDetail,
  } = records;
  const history = oldestFirst(headers);
  const byId = new Map(history.map((header) => [header.checkpointId, header]));
  const head = run.headCheckpointId ? byId.get(run.headCheckpointId) : history.at(-1);
  const lineage = lineageOf(head, byId);
  const answered = new Set(responses.map((response) => response.requestId));
  const answerAudit = new Map(
    audit.filter((entry) => entry.action === "answered").map((entry) => [entry.checkpointId, entry]),
  );
  const decisionByCheckpoint = new Map<string, Decision>();
  const requestsById = new Map<string, PendingDraftRequest>();
  for (const header of history)
    for (const request of pendingDraftsOf(header.summary))
      if (!requestsById.has(request.requestId)) requestsById.set(request.requestId, request);
  const decisions = responses.map((response) => {
    const decision = decisionFrom(
      response,
      answerAudit.get(response.checkpointId),
      requestsById.get(response.requestId)?.iteration ?? null,
    );
    decisionByCheckpoint.set(response.checkpointId, decision);
    return decision;
  });
  const editorOf = (requestId: string | null) =>
    requestId ? (responses.find((response) => response.requestId === requestId)?.answeredBy ?? null) : null;
  const withApprovals = (request: PendingDraftRequest, counted: boolean): ReviewRequest => ({
    ...request,
    editedBy: editorOf(request.editedFrom),
    approvals: counted ? approvalsOf(votes, request).map(toApproval) : [],
  });
  const pendingRequests = (head ? pendingDraftsOf(head.summary) : []).map((request) => withApprovals(request, true));
  const pendingIds = new Set(pendingRequests.map((request) => request.requestId));
  const drafts: DraftVersion[] = [];
  for (const header of history) {
    if (!lineage.has(header.checkpointId)) continue;
    for (const request of pendingDraftsOf(header.summary)) {
      if (!drafts.some((draft) => draft.iteration === request.iteration))
        drafts.push({ iteration: request.iteration, text: request.draft, checkpointId: header.checkpointId });
    }
  }
  const publishedText = run.status === "completed" ? run.publishedText : null;
  const details = head ? releaseNotesDetailsSchema.safeParse(head.summary.details) : undefined;
  const rejection = run.status === "rejected" && details?.success ? details.data.rejection : null;
  return {
    ...toListItem({
      ...run,
      approvalCount: pendingRequests[0]?.approvals.length ?? 0,
      assigneeList: null,
      deadlineAskedAt: records.deadline?.askedAt ?? null,
      deadlineDueAt: records.deadline?.dueAt ?? null,
      deadlineRemindedAt: records.deadline?.remindedAt ?? null,
      deadlineEscalatedAt: records.deadline?.escalatedAt ?? null,
      deadlineEscalatedTo: records.deadline?.escalatedTo ?? null,
    }),
    assignees: records.assignments.map((row) => ({ userId: row.assigneeId, name: row.assigneeName })),
    writer: run.writer,
    writerIsModel: run.writerIsModel,
    outputs: publishedText === null ? [] : [publishedText],
    publishedText,
    pendingRequests,
    supersededRequests: [...requestsById.values()]
      .filter((request) => !answered.has(request.requestId) && !pendingIds.has(request.requestId))
      .map((request) => withApprovals(request, false)),
    decisions,
    rounds: roundsOf({ history, lineage, pendingIds, responses, decisionByCheckpoint, votes, editorOf }),
    drafts,
    headCheckpointId: head?.checkpointId ?? null,
    error: run.errorCode
      ? { code: run.errorCode, message: run.errorMessage ?? "", detail: showsErrorDetail ? run.errorDetail : null }
      : null,
    queuePosition,
    isExecutingHere,
    publications: publications.map(toPublication),
    audit: audit.map(toAuditEntry),
    permissions,
    policy: records.policy,
    rejection: rejection ? { reason: rejection.reason, by: rejection.by, at: rejection.at } : null,
    workflowVersion: run.workflowVersion,
  };
}

/** A review request as the checkpoint holds it, with its draft's hash (approvals, edits and dismissals go by it). */
export type PendingDraftRequest = Omit<ReviewRequest, "approvals" | "editedBy">;

/** The drafts of one round per review request on the head's lineage, oldest first, with their approvals and decisions. */
function roundsOf(params: {
  history: readonly CheckpointHeader[];
  lineage: ReadonlySet<string>;
  pendingIds: ReadonlySet<string>;
  responses: readonly RequestResponseRow[];
  decisionByCheckpoint: ReadonlyMap<string, Decision>;
  votes: readonly ReviewVoteRow[];
  editorOf: (requestId: string | null) => string | null;
}): ReviewRound[] {
  const { history, lineage, pendingIds, responses, decisionByCheckpoint, votes, editorOf } = params;
  const rounds: ReviewRound[] = [];
  const seen = new Set<string>();
  for (const header of history) {
    if (!lineage.has(header.checkpointId)) continue;
    for (const request of pendingDraftsOf(header.summary)) {
      if (seen.has(request.requestId)) continue;
      seen.add(request.requestId);
      const answer = responses.find(
        (response) => response.requestId === request.requestId && lineage.has(response.checkpointId),
      );
      const decision = answer ? (decisionByCheckpoint.get(answer.checkpointId) ?? null) : null;
      const state = roundState(decision, pendingIds.has(request.requestId));
      const dismissed =
        state === "revised" || state === "edited"
          ? ("draft changed" as const)
          : state === "superseded"
            ? ("superseded" as const)
            : null;
      rounds.push({
        ...request,
        editedBy: editorOf(request.editedFrom),
        // an approval applied on another branch (the one that published before an admin re-opened the run) is superseded here
        approvals: approvalsOf(votes, request).map((vote) => ({
          ...toApproval(vote),
          dismissed: vote.checkpointId && !lineage.has(vote.checkpointId) ? "superseded" : dismissed,
        })),
        decision,
        state,
      });
    }
  }
  return rounds;
}

function roundState(decision: Decision | null, isPending: boolean): ReviewRound["state"] {
  if (isPending) return "pending";
  if (!decision) return "superseded";
  if (decision.kind === "edit") return decision.isApproval ? "approved" : "edited";
  return ({ approve: "approved", revise: "revised", reject: "rejected" } as const)[decision.kind];
}

/** One recorded answer as a decision: SPEC §9 text answers read as an approval or revision guidance. */
function decisionFrom(response: RequestResponseRow, who: RunAuditRow | undefined, iteration: number | null): Decision {
  const stored: unknown = JSON.parse(response.response);
  const parsed = reviewAnswerSchema.safeParse(stored);
  const answer = parsed.success ? parsed.data : String(stored);
  const decision = decisionOf(answer);
  const words =
    typeof answer === "string"
      ? answer
      : decision.decision === "revise"
        ? decision.guidance
        : decision.decision === "edit"
          ? decision.text
          : decision.decision === "reject"
            ? decision.reason
            : "approve";
  return {
    requestId: response.requestId,
    kind: decision.decision,
    response: words,
    isApproval: decision.decision === "approve" || (decision.decision === "edit" && decision.publish),
    decidedBy: response.answeredBy,
    decidedById: who?.actorId ?? null,
    decidedVia: (who?.actorMethod as SignInMethod | undefined) ?? null,
    decidedAt: response.answeredAt,
    checkpointId: response.checkpointId,
    baseCheckpointId: response.baseCheckpointId,
    iteration,
  };
}

function toApproval(vote: ReviewVoteRow): Approval {
  return {
    by: vote.voterName,
    byId: vote.voterId,
    via: vote.voterMethod as SignInMethod,
    at: vote.votedAt,
    kind: vote.kind,
  };
}

function toPublication(row: RunPublicationRow): Publication {
  return {
    version: row.version,
    text: row.text,
    publishedAt: row.publishedAt,
    approvedBy: row.approvedBy,
    checkpointId: row.checkpointId,
  };
}

function toAuditEntry(row: RunAuditRow): AuditEntry {
  return {
    at: row.at,
    action: row.action,
    actorName: row.actorName,
    actorRole: row.actorRole as AuditEntry["actorRole"],
    actorMethod: row.actorMethod as SignInMethod,
    requestId: row.requestId,
    checkpointId: row.checkpointId,
    reason: row.reason,
    subjectName: row.subjectName,
  };
}

/** Every checkpoint of a run, oldest first, with whether it is the head and on the head's lineage. */
export function checkpointListOf(run: RunRow, headers: readonly CheckpointHeader[]): CheckpointListItem[] {
  const history = oldestFirst(headers);
  const byId = new Map(history.map((header) => [header.checkpointId, header]));
  const headId = run.headCheckpointId ?? history.at(-1)?.checkpointId;
  const lineage = lineageOf(headId ? byId.get(headId) : undefined, byId);
  return history.map((header) => ({
    ...header.summary,
    isHead: header.checkpointId === headId,
    isOnHeadLineage: lineage.has(header.checkpointId),
  }));
}

/** Stores list newest first; the views read history oldest first. */
function oldestFirst(newestFirst: readonly CheckpointHeader[]): CheckpointHeader[] {
  return [...newestFirst].reverse();
}

/** A listed run, with the approvals of its pending draft and its assignees. */
export function toListItem(run: RunListRow): RunListItem {
  return {
    runId: run.runId,
    brief: run.brief,
    status: run.status === "running" && run.queuedAt !== null ? "queued" : run.status,
    iteration: run.iteration,
    submittedBy: run.submittedBy,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    pendingRequestId: run.pendingRequestId,
    pendingSince: run.pendingSince,
    draftPreview: run.draftPreview,
    approvals: run.status === "awaiting_review" ? { count: run.approvalCount, required: run.requiredApprovals } : null,
    assignees: parseAssigneeList(run.assigneeList),
    deadline:
      run.status === "awaiting_review" && run.deadlineDueAt !== null
        ? {
            askedAt: run.deadlineAskedAt ?? run.pendingSince ?? run.deadlineDueAt,
            dueAt: run.deadlineDueAt,
            remindedAt: run.deadlineRemindedAt,
            escalatedAt: run.deadlineEscalatedAt,
            escalatedTo: run.deadlineEscalatedTo,
          }
        : null,
  };
}

/** `id US name RS id US name` (group_concat in the listing query) as assignees. */
function parseAssigneeList(list: string | null): RunListItem["assignees"] {
  if (!list) return [];
  return list.split("\u001e").map((pair) => {
    const [userId = "", name = ""] = pair.split("\u001f");
    return { userId, name };
  });
}

/** The review requests a checkpoint holds as pending (read from its summary), with their drafts' hashes. */
export function pendingDraftsOf(summary: CheckpointSummary): PendingDraftRequest[] {
  return summary.pendingRequests.flatMap((request) => {
    const payload = HumanApprovalRequest.schema.safeParse(request.payload);
    if (!payload.success) return [];
    const { prompt, draft, iteration, editedFrom } = payload.data;
    return [
      {
        requestId: request.requestId,
        prompt,
        draft,
        draftSha256: draftSha256(draft),
        iteration,
        editedFrom: editedFrom ?? null,
        createdAt: summary.createdAt,
        checkpointId: summary.checkpointId,
      },
    ];
  });
}

/** The checkpoints from `head` back to the run's first, by parent links. */
export function lineageOf(head: CheckpointHeader | undefined, byId: Map<string, CheckpointHeader>): Set<string> {
  const lineage = new Set<string>();
  for (
    let current = head;
    current && !lineage.has(current.checkpointId);
    current = current.parentId ? byId.get(current.parentId) : undefined
  ) {
    lineage.add(current.checkpointId);
  }
  return lineage;
}

export function encodeCursor(cursor: { createdAt: string; runId: string }): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.runId])).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: string; runId: string } {
  try {
    const [createdAt, runId] = z
      .tuple([z.string(), z.string()])
      .parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { createdAt, runId };
  } catch {
    throw new ServiceError("VALIDATION_FAILED", "The cursor is not valid; start again from the first page.", {
      fieldErrors: { cursor: ["not a cursor this server gave out"] },
    });
  }
}
