import { z } from "zod";
import type { CheckpointHeader } from "@/lib/workflow";
import { HumanApprovalRequest } from "@/lib/release-notes";
import type { RunListRow } from "@/db/run-queries";
import { isApprovalReply } from "@/lib/release-notes";
import type { RequestResponseRow, RunAuditRow, RunPublicationRow, RunRow } from "@/db/schema";
import type { SignInMethod } from "./actor";
import type { AuditEntry, CheckpointListItem, Decision, DraftVersion, Publication, ReviewRequest, RunDetail, RunListItem, RunPermissions } from "./dto";
import { ServiceError } from "./errors";

/** Turning rows and checkpoint headers into the DTOs pages and the CLI read. Pure: no I/O, no writes. */

export interface RunRecords {
  run: RunRow;
  /** Newest first, as stores list them. */
  headers: readonly CheckpointHeader[];
  responses: readonly RequestResponseRow[];
  audit: readonly RunAuditRow[];
  publications: readonly RunPublicationRow[];
  isExecutingHere: boolean;
  permissions: RunPermissions;
  /** While queued, its place in line. */
  queuePosition: number | null;
  /** Whether the reader may see the raw failure detail (admins). */
  showsErrorDetail: boolean;
}

/**
 * A run as its page shows it, from its row, checkpoint headers, recorded answers, audit trail and published
 * versions. The head is the row's head checkpoint; drafts follow the head's lineage; requests left unanswered on
 * another branch are superseded.
 */
export function runDetailOf({ run, headers, responses, audit, publications, isExecutingHere, permissions, queuePosition, showsErrorDetail }: RunRecords): RunDetail {
  const history = oldestFirst(headers);
  const byId = new Map(history.map((header) => [header.checkpointId, header]));
  const head = run.headCheckpointId ? byId.get(run.headCheckpointId) : history.at(-1);
  const lineage = lineageOf(head, byId);
  const answered = new Set(responses.map((response) => response.requestId));
  const requestsById = new Map<string, ReviewRequest>();
  for (const header of history) for (const request of reviewRequestsOf(header)) if (!requestsById.has(request.requestId)) requestsById.set(request.requestId, request);
  const pendingRequests = head ? reviewRequestsOf(head) : [];
  const pendingIds = new Set(pendingRequests.map((request) => request.requestId));
  const drafts: DraftVersion[] = [];
  for (const header of history) {
    if (!lineage.has(header.checkpointId)) continue;
    for (const request of reviewRequestsOf(header)) {
      if (!drafts.some((draft) => draft.iteration === request.iteration)) drafts.push({ iteration: request.iteration, text: request.draft, checkpointId: header.checkpointId });
    }
  }
  const answerAudit = new Map(audit.filter((entry) => entry.action === "answered").map((entry) => [entry.checkpointId, entry]));
  const decisions: Decision[] = responses.map((response) => {
    const text = String(JSON.parse(response.response));
    const who = answerAudit.get(response.checkpointId);
    return {
      requestId: response.requestId,
      response: text,
      isApproval: isApprovalReply(text),
      decidedBy: response.answeredBy,
      decidedById: who?.actorId ?? null,
      decidedVia: (who?.actorMethod as SignInMethod | undefined) ?? null,
      decidedAt: response.answeredAt,
      checkpointId: response.checkpointId,
      baseCheckpointId: response.baseCheckpointId,
      iteration: requestsById.get(response.requestId)?.iteration ?? null,
    };
  });
  const publishedText = run.status === "completed" ? run.publishedText : null;
  return {
    ...toListItem(run),
    writer: run.writer,
    writerIsModel: run.writerIsModel,
    outputs: publishedText === null ? [] : [publishedText],
    publishedText,
    pendingRequests,
    supersededRequests: [...requestsById.values()].filter((request) => !answered.has(request.requestId) && !pendingIds.has(request.requestId)),
    decisions,
    drafts,
    headCheckpointId: head?.checkpointId ?? null,
    error: run.errorCode ? { code: run.errorCode, message: run.errorMessage ?? "", detail: showsErrorDetail ? run.errorDetail : null } : null,
    queuePosition,
    isExecutingHere,
    publications: publications.map(toPublication),
    audit: audit.map(toAuditEntry),
    permissions,
  };
}

function toPublication(row: RunPublicationRow): Publication {
  return { version: row.version, text: row.text, publishedAt: row.publishedAt, approvedBy: row.approvedBy, checkpointId: row.checkpointId };
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
  };
}

/** Every checkpoint of a run, oldest first, with whether it is the head and on the head's lineage. */
export function checkpointListOf(run: RunRow, headers: readonly CheckpointHeader[]): CheckpointListItem[] {
  const history = oldestFirst(headers);
  const byId = new Map(history.map((header) => [header.checkpointId, header]));
  const headId = run.headCheckpointId ?? history.at(-1)?.checkpointId;
  const lineage = lineageOf(headId ? byId.get(headId) : undefined, byId);
  return history.map((header) => ({ ...header.summary, isHead: header.checkpointId === headId, isOnHeadLineage: lineage.has(header.checkpointId) }));
}

/** Stores list newest first; the views read history oldest first. */
function oldestFirst(newestFirst: readonly CheckpointHeader[]): CheckpointHeader[] {
  return [...newestFirst].reverse();
}

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
  };
}

export function reviewRequestsOf(header: CheckpointHeader): ReviewRequest[] {
  return header.summary.pendingRequests.flatMap((request) => {
    const payload = HumanApprovalRequest.schema.safeParse(request.payload);
    if (!payload.success) return [];
    return [{ requestId: request.requestId, ...payload.data, createdAt: header.createdAt, checkpointId: header.checkpointId }];
  });
}

/** The checkpoints from `head` back to the run's first, by parent links. */
export function lineageOf(head: CheckpointHeader | undefined, byId: Map<string, CheckpointHeader>): Set<string> {
  const lineage = new Set<string>();
  for (let current = head; current && !lineage.has(current.checkpointId); current = current.parentId ? byId.get(current.parentId) : undefined) {
    lineage.add(current.checkpointId);
  }
  return lineage;
}

export function encodeCursor(cursor: { createdAt: string; runId: string }): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.runId])).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: string; runId: string } {
  try {
    const [createdAt, runId] = z.tuple([z.string(), z.string()]).parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { createdAt, runId };
  } catch {
    throw new ServiceError("BAD_REQUEST", "The cursor is not valid; start again from the first page");
  }
}
