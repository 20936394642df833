import { describe, expect, it } from "vitest";
import { approvalCount, approvalOutcome, policySummary, previousRoundOf, roundTitle } from "./review-rounds";

describe("roundTitle", () => {
  it("names a writer's draft by its number and a reviewer's edit by the draft it edits and the editor", () => {
    expect(roundTitle({ iteration: 2, editedFrom: null, editedBy: null })).toBe("Draft 2");
    expect(roundTitle({ iteration: 1, editedFrom: "request-1", editedBy: "Ana" })).toBe("Draft 1 · edited by Ana");
  });
});

describe("approvalOutcome", () => {
  it("says that an approval completes a review that needs one", () => {
    expect(approvalOutcome({ count: 0, required: 1, iteration: 1 })).toBe(
      "Your approval completes the review and publishes draft 1.",
    );
  });

  it("says when an approval will not complete the quorum, and how many are still missing", () => {
    expect(approvalOutcome({ count: 0, required: 2, iteration: 1 })).toBe(
      "Your approval will be 1 of 2: draft 1 then needs 1 more approval from other reviewers.",
    );
    expect(approvalOutcome({ count: 0, required: 3, iteration: 4 })).toBe(
      "Your approval will be 1 of 3: draft 4 then needs 2 more approvals from other reviewers.",
    );
  });

  it("says that the approval which reaches the quorum publishes", () => {
    expect(approvalOutcome({ count: 1, required: 2, iteration: 3 })).toBe(
      "Your approval completes the review and publishes draft 3.",
    );
  });

  it("counts an edit as the first approval of the edited draft, whatever the draft had before", () => {
    expect(approvalOutcome({ count: 1, required: 2, iteration: 1, isEdit: true })).toMatch(
      /^Your edit counts as your approval: 1 of 2\. The edited draft then needs 1 more approval/,
    );
    expect(approvalOutcome({ count: 0, required: 1, iteration: 1, isEdit: true })).toBe(
      "Publishes your edited text of draft 1.",
    );
  });
});

describe("policySummary and approvalCount", () => {
  it("names the policy version, or the default for runs from before policies", () => {
    expect(
      policySummary({
        version: 3,
        requiredApprovals: 2,
        deadlineMinutes: 1_440,
        reminderMinutesBefore: 120,
        expireAfterMinutes: null,
      }),
    ).toBe("Needs 2 approvals (policy v3)");
    expect(
      policySummary({
        version: null,
        requiredApprovals: 1,
        deadlineMinutes: 1_440,
        reminderMinutesBefore: 120,
        expireAfterMinutes: null,
      }),
    ).toBe("Needs 1 approval (default policy)");
    expect(approvalCount(1, 2)).toBe("1 of 2 approvals");
    expect(approvalCount(0, 1)).toBe("0 of 1 approval");
  });
});

describe("previousRoundOf", () => {
  const rounds = [
    { requestId: "r1", editedFrom: null },
    { requestId: "r2", editedFrom: "r1" },
    { requestId: "r3", editedFrom: null },
  ];

  it("compares a writer's draft with the round before it and an edit with the draft it edits", () => {
    expect(previousRoundOf(rounds, 0)).toBeNull();
    expect(previousRoundOf(rounds, 1)?.requestId).toBe("r1");
    expect(previousRoundOf(rounds, 2)?.requestId).toBe("r2");
  });
});
