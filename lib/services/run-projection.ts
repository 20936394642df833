import type {
  CheckpointHeader,
  CheckpointQuery,
  CheckpointRecord,
  CheckpointStorage,
  SaveOptions,
} from "@/lib/workflow";
import { HumanApprovalRequest, releaseNotesDetailsSchema } from "@/lib/release-notes";
import type { Lease, RunHeadColumns } from "@/db/run-queries";
import type { NewReviewVoteRow } from "@/db/schema";
import type { Queries, TransactionalCheckpointStorage } from "@/db/store";
import { ATTR, endWithError, instruments, tracer } from "@/lib/telemetry";
import type { Actor } from "./actor";
import type { ExecutionTrace } from "./execution-trace";
import { notifyCheckpoint } from "./notifications/run-notifications";
import type { Outbox } from "./notifications/outbox";
import { closeDeadline, planDeadline } from "./review-deadlines";
import { draftSha256 } from "./review-decisions";
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
  const isRejected = header.status === "completed" && details.success && details.data.rejection !== null;
  return {
    status: isPaused
      ? "awaiting_review"
      : isRejected
        ? "rejected"
        : header.status === "completed"
          ? "completed"
          : header.status === "failed"
            ? "failed"
            : "running",
    headCheckpointId: header.checkpointId,
    updatedAt: header.createdAt,
    iteration: details.success ? details.data.iteration : request?.success ? request.data.iteration : null,
    pendingRequestId: isPaused ? pending.requestId : null,
    pendingSince: isPaused ? header.createdAt : null,
    pendingDraftSha256: isPaused && request?.success ? draftSha256(request.data.draft) : null,
    pendingEditedFrom: isPaused && request?.success ? (request.data.editedFrom ?? null) : null,
    draftPreview: isPaused && request?.success ? request.data.draft.slice(0, PREVIEW_LENGTH) : null,
    publishedText: details.success ? details.data.publishedText : null,
  };
}

/** Appends the run's next published version, naming the answer that approved it. */
async function recordPublication(tx: Queries, record: CheckpointRecord, text: string): Promise<void> {
  const details = releaseNotesDetailsSchema.safeParse(record.summary.details);
  const approval = details.success ? details.data.approval : null;
  await tx.appendPublication({
    runId: record.runId,
    text,
    checkpointId: record.checkpointId,
    publishedAt: record.createdAt,
    approvedBy: approval?.by ?? null,
    approvedById: approval ? ((await tx.findAnswerAudit(approval.requestId))?.actorId ?? null) : null,
  });
}

/** The error a save gets when its execution no longer holds the run's lease. */
export function leaseLostError(lease: Lease): ServiceError {
  return new ServiceError(
    "LEASE_LOST",
    `Run ${lease.runId} was taken over by another execution; this one stops without writing`,
    { details: { runId: lease.runId } },
  );
}

/** Who an execution acts for, and the audit entry its first save records (a resume, a retry, a re-opening). */
export interface ExecutionIntent {
  /** Null for the process itself (recovering a run after a crash). */
  actor: Actor | null;
  action?: { kind: "resumed" | "retried" | "reopened"; reason?: string };
  /**
   * Approvals that go with the answers the execution applies (the one completing a quorum, an edit's own
   * approval): written in the transaction of the checkpoint that records the answers, and only with it.
   */
  votes?: ReadonlyArray<Omit<NewReviewVoteRow, "checkpointId" | "votedAt">>;
}

/**
 * The checkpoint storage one execution writes through. Each save also writes, in the same transaction and
 * only while `lease` still holds the run: the run row's projection of the new checkpoint, an audit entry for
 * every answer it applies (and for the execution's own action, on its first save), and a published version
 * when the run completes. A save after the run was taken over writes nothing (the whole transaction rolls
 * back) and calls `onLost`.
 */
export class FencedCheckpointStorage implements CheckpointStorage {
  private isActionRecorded = false;

  constructor(
    private readonly store: TransactionalCheckpointStorage,
    private readonly lease: Lease,
    private readonly intent: ExecutionIntent,
    private readonly onLost: () => void,
    /** Where saves record the notifications they cause; its clock is the one deadlines count from. */
    private readonly outbox: Outbox,
    /** The execution's spans: each save is a `checkpoint.save` span under the open superstep. */
    private readonly executionTrace?: ExecutionTrace,
  ) {}

  async save(record: CheckpointRecord, options?: SaveOptions): Promise<void> {
    const span = tracer.startSpan(
      "checkpoint.save",
      {
        attributes: {
          [ATTR.runId]: record.runId,
          [ATTR.checkpointId]: record.checkpointId,
          [ATTR.checkpointKind]: record.kind,
          [ATTR.superstep]: record.superstep,
        },
      },
      this.executionTrace?.parent(),
    );
    try {
      await this.saveFenced(record, options);
      span.end();
    } catch (error) {
      endWithError(span, error);
      throw error;
    }
  }

  private async saveFenced(record: CheckpointRecord, options?: SaveOptions): Promise<void> {
    await this.store.save(record, options, async (tx, saved, saveOptions) => {
      const waitingSince =
        (saveOptions.responses ?? []).length > 0 ? (await tx.findRun(saved.runId))?.pendingSince : undefined;
      const head = runHeadOf(saved);
      if (!(await tx.projectRunHead(this.lease, head))) {
        this.onLost();
        throw leaseLostError(this.lease);
      }
      await this.recordActions(tx, saved, saveOptions);
      if (waitingSince)
        instruments().reviewWait.record((Date.parse(saved.createdAt) - Date.parse(waitingSince)) / 1_000);
      // a request's deadline is planned with the checkpoint that asks it, and closed with the one that answers it
      const now = new Date(this.outbox.now()).toISOString();
      for (const response of saveOptions.responses ?? []) await closeDeadline(tx, response.requestId, now);
      if (head.status === "awaiting_review" && head.pendingRequestId)
        await planDeadline(tx, { runId: saved.runId, requestId: head.pendingRequestId, askedAt: now });
      if (head.status === "completed" && head.publishedText !== null)
        await recordPublication(tx, saved, head.publishedText);
      await notifyCheckpoint(tx, this.outbox, {
        saved,
        head,
        responses: saveOptions.responses ?? [],
        actor: this.intent.actor,
      });
    });
    this.isActionRecorded = true; // committed: a save that rolled back records the action again with the next
  }

  private async recordActions(tx: Queries, record: CheckpointRecord, options: SaveOptions): Promise<void> {
    const { actor, action } = this.intent;
    if (!actor) return;
    const by = {
      runId: record.runId,
      at: record.createdAt,
      actorId: actor.userId,
      actorName: actor.name,
      actorRole: actor.role,
      actorMethod: actor.method,
      checkpointId: record.checkpointId,
    };
    if (action && !this.isActionRecorded)
      await tx.insertRunAudit({ ...by, action: action.kind, reason: action.reason ?? null });
    for (const response of options.responses ?? []) {
      await tx.insertRunAudit({ ...by, action: "answered", requestId: response.requestId });
      for (const vote of this.intent.votes ?? []) {
        if (vote.requestId === response.requestId)
          await tx.insertVote({ ...vote, votedAt: record.createdAt, checkpointId: record.checkpointId });
      }
    }
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
