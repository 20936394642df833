"use server";

import { getService, type RunStatus } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/**
 * Records a reviewer's decision on a run's pending request. Form fields: runId, requestId, decision
 * ("approve" | "revise"), guidance (empty means the workflow's default guidance), respondedBy.
 */
export async function answerReviewAction(_previous: ActionState<{ runId: string; status: RunStatus }>, formData: FormData): Promise<ActionResult<{ runId: string; status: RunStatus }>> {
  const runId = textField(formData, "runId");
  const requestId = textField(formData, "requestId");
  const respondedBy = textField(formData, "respondedBy");
  const isApproval = textField(formData, "decision") === "approve";
  const guidance = textField(formData, "guidance");
  if (!isApproval && guidance.trim().toLowerCase() === "approve") {
    // The workflow reads the bare word as an approval; make that a deliberate click, not a side effect of guidance.
    const message = "“approve” as guidance would publish the draft. Use the Approve button to approve, or write what to change.";
    return { ok: false, error: { code: "VALIDATION_FAILED", message, fieldErrors: { guidance: [message] } } };
  }
  return runAction("answerReview", { runId, requestId, respondedBy }, () =>
    getService().answerRequest({ runId, requestId, response: isApproval ? "approve" : guidance, respondedBy }),
  );
}
