import type { CheckpointListItem, RunPermissions, RunStatus } from "@/lib/queries";

/** What "Resume from here" offers the person looking; the server checks the same rules again. */
export type ResumeAccess =
  | { isOffered: false; explanation: string }
  | {
      isOffered: true;
      /** The run is completed or rejected: resuming re-opens it and needs a reason (kept in the audit trail). */
      isReopening: boolean;
      /** How the run ended, when resuming re-opens it. */
      endedAs: "completed" | "rejected" | null;
      /** Pending requests may be answered up front. */
      mayAnswer: boolean;
      /** A pre-supplied answer may approve (false for the brief's submitter without self-approval). */
      mayApprove: boolean;
      /** Resuming without any answer is not theirs to do (that is a retry: submitter or admin). */
      needsAnswer: boolean;
    };

export const resumeExplanations = {
  finalRun: "A completed run is final; only an admin can re-open it.",
  rejectedRun: "A rejected run is final; only an admin can re-open it.",
  branchAdminsOnly: "Only admins can resume from an older checkpoint (a branch).",
  finishedCheckpoint: "This checkpoint finished the run: there is nothing left to resume.",
  reviewersAnswer:
    "Reviewers answer the review this checkpoint is waiting for. Resuming it without an answer is for the person who submitted this brief, or an admin.",
  submitterResumes: "The person who submitted this brief, or an admin, can resume this run.",
} as const;

/**
 * Mirrors the checks of `resumeFromCheckpoint`: re-opening a completed or rejected run is for admins (with a reason), an
 * older checkpoint (a branch) for admins, answers for reviewers and admins (approvals not by the brief's
 * submitter), and resuming the newest checkpoint without answers for the submitter or an admin.
 */
export function resumeAccessOf({
  runStatus,
  checkpoint,
  permissions,
}: {
  runStatus: RunStatus;
  checkpoint: CheckpointListItem;
  permissions: RunPermissions;
}): ResumeAccess {
  const endedAs = runStatus === "completed" || runStatus === "rejected" ? runStatus : null;
  if (endedAs && !permissions.canReopen)
    return {
      isOffered: false,
      explanation: endedAs === "completed" ? resumeExplanations.finalRun : resumeExplanations.rejectedRun,
    };
  if (checkpoint.status === "completed") {
    const next = permissions.canReopen ? " Pick an earlier checkpoint to re-open the run from there." : "";
    return { isOffered: false, explanation: `${resumeExplanations.finishedCheckpoint}${next}` };
  }
  const isReopening = endedAs !== null;
  if (!isReopening && !checkpoint.isHead && !permissions.canBranch)
    return { isOffered: false, explanation: resumeExplanations.branchAdminsOnly };
  const mayAnswer = permissions.canAnswer && checkpoint.pendingRequests.length > 0;
  // A branch from a checkpoint that only waits for its review needs the answer: without one nothing would run.
  const onlyWaits = checkpoint.pendingRequests.length > 0 && checkpoint.targets.length === 0;
  // Re-opening and branching are admins' (checked above); at the head, resuming without answers is a retry.
  const mayResumeWithoutAnswer = isReopening || !checkpoint.isHead ? !onlyWaits : permissions.canRetry;
  if (!mayResumeWithoutAnswer && !mayAnswer) {
    const isWaitingForReview = checkpoint.pendingRequests.length > 0 && !permissions.canAnswer;
    return {
      isOffered: false,
      explanation: isWaitingForReview ? resumeExplanations.reviewersAnswer : resumeExplanations.submitterResumes,
    };
  }
  return {
    isOffered: true,
    isReopening,
    endedAs,
    mayAnswer,
    mayApprove: mayAnswer && permissions.canApprove,
    needsAnswer: !mayResumeWithoutAnswer,
  };
}
