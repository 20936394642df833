import type { CheckpointHeader, CheckpointSummary } from "@/lib/workflow";
import { HumanApprovalRequest, RELEASE_NOTES_WORKFLOW } from "@/lib/release-notes";
import type { AppDatabase } from "@/db/client";
import { findCheckpointSummaryText, trackRunHead } from "@/db/run-queries";

const PREVIEW_LENGTH = 200;

/**
 * Keeps a run's row in step with its newest checkpoint. Called inside the checkpoint's save transaction,
 * so the inbox and listings can never disagree with what a resume would see.
 */
export function trackRunCheckpoint(db: AppDatabase, record: CheckpointHeader): void {
  if (record.workflowName !== RELEASE_NOTES_WORKFLOW) return;
  const pending = record.summary.pendingRequests.find((request) => request.type === HumanApprovalRequest.name);
  const payload = pending ? HumanApprovalRequest.schema.safeParse(pending.payload) : undefined;
  const base = { runId: record.runId, headCheckpointId: record.checkpointId, updatedAt: record.createdAt };
  if (record.status === "awaiting_input" && pending && payload?.success) {
    trackRunHead(db, {
      ...base,
      paused: true,
      status: "awaiting_review",
      iteration: payload.data.iteration,
      pendingRequestId: pending.requestId,
      pendingSince: record.createdAt,
      draftPreview: payload.data.draft.slice(0, PREVIEW_LENGTH),
    });
    return;
  }
  trackRunHead(db, {
    ...base,
    paused: false,
    status: record.status === "completed" ? "completed" : record.status === "failed" ? "failed" : "running",
    // answering from an older checkpoint (a branch) goes back to that checkpoint's draft number
    iteration: record.kind === "responses" ? answeredIteration(db, record.parentId) : null,
  });
}

function answeredIteration(db: AppDatabase, parentId: string | null): number | null {
  const text = parentId ? findCheckpointSummaryText(db, parentId) : undefined;
  if (!text) return null;
  const summary = JSON.parse(text) as CheckpointSummary;
  const payload = HumanApprovalRequest.schema.safeParse(summary.pendingRequests[0]?.payload);
  return payload.success ? payload.data.iteration : null;
}
