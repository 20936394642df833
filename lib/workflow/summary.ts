import type { Checkpoint, CheckpointSummary, CheckpointSummaryStatus, PendingRequest } from "./checkpoint";
import type { JsonValue } from "./json";

/**
 * SPEC §7: what a person needs to pick a checkpoint: what runs next (targets of queued messages), which
 * executors hold state, what is pending, and a status. `preview` and `details` come from the workflow, if it
 * describes its checkpoints.
 */
export function checkpointSummary(
  checkpoint: Checkpoint,
  preview: string | null = null,
  details: JsonValue | null = null,
): CheckpointSummary {
  return {
    checkpointId: checkpoint.checkpointId,
    parentId: checkpoint.parentId,
    runId: checkpoint.runId,
    superstep: checkpoint.superstep,
    createdAt: checkpoint.createdAt,
    kind: checkpoint.kind,
    targets: [...new Set(checkpoint.messages.map((message) => message.targetId))],
    executorsWithState: Object.keys(checkpoint.executorStates).sort(),
    pendingRequests: checkpoint.pendingRequests.map(({ requestId, sourceExecutorId, type, payload }) => ({
      requestId,
      sourceExecutorId,
      type,
      payload,
    })),
    status: summaryStatus(checkpoint),
    preview,
    details,
  };
}

function summaryStatus(checkpoint: Checkpoint): CheckpointSummaryStatus {
  if (checkpoint.status === "failed") return "failed";
  if (checkpoint.pendingRequests.length > 0) return "awaiting human response";
  if (checkpoint.messages.length === 0 && checkpoint.outputs.length > 0) return "completed";
  return "awaiting next superstep";
}

/** The requests a checkpoint is waiting on, with their typed payloads (validated when the checkpoint was loaded). */
export function pendingRequestsFromCheckpoint<TPayload = JsonValue>(
  checkpoint: Checkpoint,
): Array<Omit<PendingRequest, "payload"> & { payload: TPayload }> {
  return checkpoint.pendingRequests.map((request) => ({ ...request, payload: request.payload as TPayload }));
}
