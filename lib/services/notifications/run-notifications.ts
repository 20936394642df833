import type { CheckpointRecord, ResponseRecord } from "@/lib/workflow";
import {
  HumanApprovalRequest,
  isApprovalReply,
  releaseNotesDetailsSchema,
  reviewAnswerSchema,
} from "@/lib/release-notes";
import type { RunHeadColumns } from "@/db/run-queries";
import type { Queries } from "@/db/store";
import type { Actor } from "../actor";
import type { RunFailure } from "../run-failures";
import { adminsOf, recordNotification, reviewersOf, submitterOf, type Outbox } from "./outbox";

/**
 * The notifications a checkpoint's save causes, recorded in its transaction: a new review request, a revision
 * requested, a publication, a rejection (or an expiry, when the deadline rejected it). `actor` is the execution's.
 */
export async function notifyCheckpoint(
  tx: Queries,
  outbox: Outbox,
  params: { saved: CheckpointRecord; head: RunHeadColumns; responses: readonly ResponseRecord[]; actor: Actor | null },
): Promise<void> {
  // most saves are supersteps of a running run: nothing to tell anyone, and no read on that hot path
  if (params.responses.length === 0 && params.head.status === "running") return;
  const run = await tx.findRun(params.saved.runId);
  if (!run) return;
  const { head, saved } = params;
  const details = releaseNotesDetailsSchema.safeParse(saved.summary.details);
  for (const response of params.responses) {
    const guidance = revisionGuidanceOf(response.response);
    if (guidance !== null && head.status !== "completed" && head.status !== "rejected") {
      await recordNotification(tx, outbox, {
        kind: "run.revision_requested",
        key: response.requestId,
        run,
        fields: { actor: response.answeredBy, message: guidance, iteration: run.iteration },
        recipientIds: submitterOf(run),
      });
    }
  }
  if (head.status === "awaiting_review" && head.pendingRequestId) {
    const pending = saved.summary.pendingRequests.find((request) => request.requestId === head.pendingRequestId);
    const request = HumanApprovalRequest.schema.safeParse(pending?.payload);
    await recordNotification(tx, outbox, {
      kind: "review.requested",
      key: head.pendingRequestId,
      run,
      // the deadline was planned earlier in this same transaction
      fields: {
        draft: request.success ? request.data.draft : null,
        iteration: head.iteration,
        dueAt: (await tx.findDeadline(head.pendingRequestId))?.dueAt ?? null,
      },
      recipientIds: await reviewersOf(tx, run),
    });
  } else if (head.status === "completed" && head.publishedText !== null) {
    const approval = details.success ? details.data.approval : null;
    await recordNotification(tx, outbox, {
      kind: "run.published",
      key: saved.checkpointId,
      run,
      fields: { draft: head.publishedText, actor: approval?.by ?? null, iteration: head.iteration },
      recipientIds: submitterOf(run),
    });
  } else if (head.status === "rejected") {
    const rejection = details.success ? details.data.rejection : null;
    const expired = params.actor?.method === "system";
    await recordNotification(tx, outbox, {
      kind: expired ? "review.expired" : "run.rejected",
      key: saved.checkpointId,
      run,
      fields: { actor: rejection?.by ?? null, message: rejection?.reason ?? null, iteration: head.iteration },
      recipientIds: expired ? [...submitterOf(run), ...(await reviewersOf(tx, run))] : submitterOf(run),
    });
  }
}

/** A run's failure, recorded with it: its submitter and the admins hear the plain cause (never the admin-only detail). */
export async function notifyRunFailed(
  tx: Queries,
  outbox: Outbox,
  params: { runId: string; failure: RunFailure; at: string },
): Promise<void> {
  const run = await tx.findRun(params.runId);
  if (!run) return;
  await recordNotification(tx, outbox, {
    kind: "run.failed",
    key: `${run.runId}:${params.at}`,
    run,
    fields: { message: params.failure.message, iteration: run.iteration },
    recipientIds: [...submitterOf(run), ...(await adminsOf(tx))],
  });
}

/** A reminder before a request's deadline, to whom the request concerns. */
export async function notifyReminder(
  tx: Queries,
  outbox: Outbox,
  params: { runId: string; requestId: string; dueAt: string },
): Promise<void> {
  const run = await tx.findRun(params.runId);
  if (!run) return;
  await recordNotification(tx, outbox, {
    kind: "review.reminder",
    key: params.requestId,
    run,
    fields: { dueAt: params.dueAt, iteration: run.iteration },
    recipientIds: await reviewersOf(tx, run),
  });
}

/** An escalation at a request's deadline, to the people it was offered to. */
export async function notifyEscalation(
  tx: Queries,
  outbox: Outbox,
  params: { runId: string; requestId: string; dueAt: string; people: ReadonlyArray<{ id: string; name: string }> },
): Promise<void> {
  const run = await tx.findRun(params.runId);
  if (!run) return;
  await recordNotification(tx, outbox, {
    kind: "review.escalated",
    key: params.requestId,
    run,
    fields: {
      dueAt: params.dueAt,
      escalatedTo: params.people.map((person) => person.name).join(", ") || "the admins",
      iteration: run.iteration,
    },
    recipientIds: params.people.map((person) => person.id),
  });
}

/** Revision guidance in an engine answer (SPEC §9 text that is not "approve", or a revise decision); else null. */
function revisionGuidanceOf(answer: unknown): string | null {
  const parsed = reviewAnswerSchema.safeParse(answer);
  if (!parsed.success) return null;
  if (typeof parsed.data === "string") return isApprovalReply(parsed.data) ? null : parsed.data;
  return parsed.data.decision === "revise" ? parsed.data.guidance : null;
}
