import { eq } from "drizzle-orm";
import type { CheckpointRecord, CheckpointSummary } from "@/lib/workflow";
import { HumanApprovalRequest, RELEASE_NOTES_WORKFLOW } from "@/lib/release-notes";
import type { AppDatabase } from "@/db/client";
import { updateRun } from "@/db/run-queries";
import { checkpoints } from "@/db/schema";

const PREVIEW_LENGTH = 200;

/**
 * Keeps a run's row in step with its newest checkpoint. Called inside the checkpoint's save transaction,
 * so the inbox and listings can never disagree with what a resume would see.
 */
export function trackRunCheckpoint(db: AppDatabase, record: CheckpointRecord): void {
  if (record.workflowName !== RELEASE_NOTES_WORKFLOW) return;
  const pending = record.summary.pendingRequests.find((request) => request.type === HumanApprovalRequest.name);
  const payload = pending ? HumanApprovalRequest.schema.safeParse(pending.payload) : undefined;
  const base = { headCheckpointId: record.checkpointId, updatedAt: record.createdAt, errorCode: null, errorMessage: null };
  if (record.status === "awaiting_input" && pending && payload?.success) {
    updateRun(db, record.runId, {
      ...base,
      status: "awaiting_review",
      iteration: payload.data.iteration,
      pendingRequestId: pending.requestId,
      pendingSince: record.createdAt,
      draftPreview: payload.data.draft.slice(0, PREVIEW_LENGTH),
    });
    return;
  }
  updateRun(db, record.runId, {
    ...base,
    status: record.status === "completed" ? "completed" : record.status === "failed" ? "failed" : "running",
    pendingRequestId: null,
    pendingSince: null,
    // answering from an older checkpoint (a branch) goes back to that checkpoint's draft number
    ...(record.kind === "responses" ? answeredIteration(db, record.parentId) : {}),
  });
}

function answeredIteration(db: AppDatabase, parentId: string | null): { iteration?: number } {
  if (!parentId) return {};
  const row = db.select({ summary: checkpoints.summary }).from(checkpoints).where(eq(checkpoints.checkpointId, parentId)).get();
  if (!row) return {};
  const summary = JSON.parse(row.summary) as CheckpointSummary;
  const payload = HumanApprovalRequest.schema.safeParse(summary.pendingRequests[0]?.payload);
  return payload.success ? { iteration: payload.data.iteration } : {};
}
