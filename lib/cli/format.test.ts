import { describe, expect, it } from "vitest";
import type { Approval, RunListItem } from "@/lib/services";
import { formatReviewRequest, formatRunLine } from "./format";

const approval = (by: string, kind: Approval["kind"] = "approve"): Approval => ({
  by,
  byId: null,
  via: "cli",
  at: "2025-01-01T00:00:00.000Z",
  kind,
});
const request = { requestId: "req-2", iteration: 2, prompt: "Review the draft.", draft: "Dark mode ships today." };

describe("how the CLI shows review requests and runs", () => {
  it("shows the notebook's block alone when one approval is needed and none was given", () => {
    expect(formatReviewRequest({ ...request, approvals: [] }, 1)).toBe(
      "\n=== Human approval needed ===\nrequest_id: req-2\nIteration: 2\nReview the draft.\nDraft:\n---\nDark mode ships today.\n---",
    );
  });

  it("adds the approvals so far, of how many the run needs, and who edited the draft", () => {
    const edited = formatReviewRequest(
      { ...request, approvals: [approval("Ana", "edit")], editedFrom: "req-1", editedBy: "Ana" },
      2,
    );

    expect(edited).toBe(
      "\n=== Human approval needed ===\nrequest_id: req-2\nIteration: 2\n1 of 2 approvals (Ana)\nReview the draft.\nDraft 2 (edited by Ana):\n---\nDark mode ships today.\n---",
    );
    expect(formatReviewRequest({ ...request, approvals: [] }, 3)).toContain("\nIteration: 2\n0 of 3 approvals\n");
  });

  it("lists a run awaiting review with its approvals (when more than one is needed) and assigned reviewers, and a rejected run with neither", () => {
    const run: RunListItem = {
      runId: "run-1",
      brief: "Dark mode",
      status: "awaiting_review",
      iteration: 1,
      submittedBy: null,
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
      pendingRequestId: "req-1",
      pendingSince: "2025-01-01T00:00:00.000Z",
      draftPreview: null,
      approvals: { count: 1, required: 2 },
      assignees: [
        { userId: "u-1", name: "Rita" },
        { userId: "u-2", name: "Ana" },
      ],
      deadline: null,
    };

    expect(formatRunLine(run)).toBe(
      "- run-1 | status=awaiting_review | iteration=1 | approvals=1/2 | assigned=Rita, Ana | created=2025-01-01T00:00:00.000Z | brief=Dark mode",
    );
    expect(formatRunLine({ ...run, approvals: { count: 0, required: 1 }, assignees: [] })).not.toContain("approvals=");
    expect(formatRunLine({ ...run, status: "rejected", approvals: null, assignees: [] })).toBe(
      "- run-1 | status=rejected | iteration=1 | created=2025-01-01T00:00:00.000Z | brief=Dark mode",
    );
  });

  it("shows when a run awaiting review is due, and that it was escalated once overdue", () => {
    const now = Date.parse("2025-01-01T12:00:00.000Z");
    const run: RunListItem = {
      runId: "run-1",
      brief: "Dark mode",
      status: "awaiting_review",
      iteration: 1,
      submittedBy: null,
      createdAt: "2025-01-01T09:00:00.000Z",
      updatedAt: "2025-01-01T09:00:00.000Z",
      pendingRequestId: "req-1",
      pendingSince: "2025-01-01T09:00:00.000Z",
      draftPreview: null,
      approvals: { count: 0, required: 1 },
      assignees: [],
      deadline: {
        askedAt: "2025-01-01T09:00:00.000Z",
        dueAt: "2025-01-01T15:00:00.000Z",
        remindedAt: null,
        escalatedAt: null,
        escalatedTo: null,
      },
    };

    expect(formatRunLine(run, now)).toBe(
      "- run-1 | status=awaiting_review | iteration=1 | due=in 3h | created=2025-01-01T09:00:00.000Z | brief=Dark mode",
    );
    const escalated = {
      ...run,
      assignees: [{ userId: "u-3", name: "Ada" }],
      deadline: {
        ...run.deadline!,
        dueAt: "2025-01-01T10:00:00.000Z",
        escalatedAt: "2025-01-01T10:00:00.000Z",
        escalatedTo: "Ada",
      },
    };
    expect(formatRunLine(escalated, now)).toBe(
      "- run-1 | status=awaiting_review | iteration=1 | assigned=Ada | due=overdue 2h (escalated) | created=2025-01-01T09:00:00.000Z | brief=Dark mode",
    );
  });
});
