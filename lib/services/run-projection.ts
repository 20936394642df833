import { type CheckpointHeader, type CheckpointQuery, type CheckpointRecord, type CheckpointStorage, type SaveOptions } from "@/lib/workflow";
import { HumanApprovalRequest, releaseNotesDetailsSchema } from "@/lib/release-notes";
import { projectRunHead, type Lease, type RunHeadColumns } from "@/db/run-queries";
import type { SqliteCheckpointStorage } from "@/db/sqlite-checkpoint-storage";
import { ServiceError } from "./errors";

/** How much of the draft under review listings and the inbox show. */
const PREVIEW_LENGTH = 200;

/**
 * The run row's view of a checkpoint: status, draft number, pending request, preview and published text all
 * come from the checkpoint header (its SPEC §7 summary and the workflow's structured details). Pure.
 */
export function runHeadOf(header: CheckpointHeader): RunHeadColumns {
  const details = releaseNotesDetailsSchema.safeParse(header.summary.details);
  const pending = header.summary.pendingRequests.find((request) => request.type === HumanApprovalRequest.name);
  const request = pending ? HumanApprovalRequest.schema.safeParse(pending.payload) : undefined;
  const isPaused = header.status === "awaiting_input" && pending !== undefined && request?.success === true;
  return {
    status: isPaused ? "awaiting_review" : header.status === "completed" ? "completed" : header.status === "failed" ? "failed" : "running",
    headCheckpointId: header.checkpointId,
    updatedAt: header.createdAt,
    iteration: details.success ? details.data.iteration : request?.success ? request.data.iteration : null,
    pendingRequestId: isPaused ? pending.requestId : null,
    pendingSince: isPaused ? header.createdAt : null,
    draftPreview: isPaused && request?.success ? request.data.draft.slice(0, PREVIEW_LENGTH) : null,
    publishedText: details.success ? details.data.publishedText : null,
  };
}

/** The error a save gets when its execution no longer holds the run's lease. */
export function leaseLostError(lease: Lease): ServiceError {
  return new ServiceError("LEASE_LOST", `Run ${lease.runId} was taken over by another execution; this one stops without writing`, { details: { runId: lease.runId } });
}

/**
 * The checkpoint storage one execution writes through. Each save also writes the run row's projection of the
 * new checkpoint, in the same transaction and only while `lease` still holds the run: a save after the run
 * was taken over writes nothing (the whole transaction rolls back) and calls `onLost`.
 */
export class FencedCheckpointStorage implements CheckpointStorage {
  constructor(
    private readonly store: SqliteCheckpointStorage,
    private readonly lease: Lease,
    private readonly onLost: () => void,
  ) {}

  save(record: CheckpointRecord, options?: SaveOptions): Promise<void> {
    return this.store.save(record, options, (db, saved) => {
      if (projectRunHead(db, this.lease, runHeadOf(saved))) return;
      this.onLost();
      throw leaseLostError(this.lease);
    });
  }

  load(checkpointId: string) {
    return this.store.load(checkpointId);
  }

  loadBlobs(hashes: readonly string[]) {
    return this.store.loadBlobs(hashes);
  }

  list(query?: CheckpointQuery) {
    return this.store.list(query);
  }

  latest(runId: string) {
    return this.store.latest(runId);
  }

  delete(checkpointId: string) {
    return this.store.delete(checkpointId);
  }

  findResponses(requestId: string) {
    return this.store.findResponses(requestId);
  }
}
