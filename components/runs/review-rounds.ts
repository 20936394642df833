import type { ReviewRound, RunPolicy } from "@/lib/queries";

/** How a round's state reads, beside its title. */
export const roundStateLabels: Record<ReviewRound["state"], string> = {
  pending: "Awaiting review",
  approved: "Approved",
  revised: "Revision requested",
  edited: "Edited",
  rejected: "Rejected",
  superseded: "Superseded",
};

/** "Draft 2", or "Draft 1 · edited by Ana" for a reviewer's edit (it keeps the number of the draft it edits). */
export function roundTitle(round: Pick<ReviewRound, "iteration" | "editedFrom" | "editedBy">): string {
  if (round.editedFrom === null) return `Draft ${round.iteration}`;
  return `Draft ${round.iteration} · edited by ${round.editedBy ?? "a reviewer"}`;
}

/** "1 approval" / "2 approvals". */
export function approvalsNoun(count: number): string {
  return count === 1 ? "approval" : "approvals";
}

/** "1 of 2 approvals". */
export function approvalCount(count: number, required: number): string {
  return `${count} of ${required} ${approvalsNoun(required)}`;
}

/** "Needs 2 approvals (policy v3)"; runs from before policies existed needed one approval. */
export function policySummary(policy: RunPolicy): string {
  const needs = `Needs ${policy.requiredApprovals} ${approvalsNoun(policy.requiredApprovals)}`;
  return policy.version === null ? `${needs} (default policy)` : `${needs} (policy v${policy.version})`;
}

/** The approvals that still count for a round (not dismissed). */
export function countedApprovals(round: Pick<ReviewRound, "approvals">): ReviewRound["approvals"] {
  return round.approvals.filter((approval) => approval.dismissed === null);
}

/**
 * What approving will do, said before the reviewer presses the button: complete the review (and publish), or
 * count as one of the approvals still needed. `isEdit`: the reviewer approves their own edit of the text, which
 * makes a new draft (its earlier approvals are dismissed), so their approval is the first of the edited draft.
 */
export function approvalOutcome({
  count,
  required,
  iteration,
  isEdit = false,
}: {
  count: number;
  required: number;
  iteration: number;
  isEdit?: boolean;
}): string {
  const after = isEdit ? 1 : count + 1;
  if (after >= required)
    return isEdit
      ? `Publishes your edited text of draft ${iteration}.`
      : `Your approval completes the review and publishes draft ${iteration}.`;
  const missing = required - after;
  const rest = `${missing} more ${approvalsNoun(missing)} from other reviewers`;
  return isEdit
    ? `Your edit counts as your approval: 1 of ${required}. The edited draft then needs ${rest}; approvals of the current text are dismissed.`
    : `Your approval will be ${after} of ${required}: draft ${iteration} then needs ${rest}.`;
}

/**
 * The draft a round's draft is compared with: for a reviewer's edit, the draft it edits; otherwise the round before
 * it (the draft the writer revised). Null for the first draft.
 */
export function previousRoundOf<T extends Pick<ReviewRound, "requestId" | "editedFrom">>(
  rounds: readonly T[],
  index: number,
): T | null {
  const round = rounds[index];
  if (!round) return null;
  if (round.editedFrom !== null)
    return rounds.find((candidate) => candidate.requestId === round.editedFrom) ?? rounds[index - 1] ?? null;
  return rounds[index - 1] ?? null;
}
