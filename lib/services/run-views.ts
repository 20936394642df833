import { z } from "zod";
import type { CheckpointHeader } from "@/lib/workflow";
import { HumanApprovalRequest } from "@/lib/release-notes";
import type { RunListRow } from "@/db/run-queries";
import type { RunListItem, ReviewRequest } from "./dto";
import { ServiceError } from "./errors";

/** Turning rows and checkpoint headers into the DTOs pages and the CLI read. */

export function toListItem(run: RunListRow): RunListItem {
  return {
    runId: run.runId,
    brief: run.brief,
    status: run.status,
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
