"use server";

import { isApprovalReply } from "@/lib/release-notes";
import { getService, type RunStatus } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/**
 * Records a reviewer's decision on a run's pending request. Form fields: runId, requestId, decision
 * ("approve" | "revise"), guidance (empty means the workflow's default guidance). The answer is the signed-in person's.
 */
export async function answerReviewAction(_previous: ActionState<{ runId: string; status: RunStatus }>, formData: FormData): Promise<ActionResult<{ runId: string; status: RunStatus }>> {
  const runId = textField(formData, "runId");
  const requestId = textField(formData, "requestId");
  const isApproval = textField(formData, "decision") === "approve";
  const guidance = textField(formData, "guidance");
  if (!isApproval && isApprovalReply(guidance)) {
    // The workflow reads the bare word as an approval; make that a deliberate click, not a side effect of guidance.
    const message = "“approve” as guidance would publish the draft. Use the Approve button to approve, or write what to change.";
    return { ok: false, error: { code: "VALIDATION_FAILED", message, fieldErrors: { guidance: [message] } } };
  }
  return runAction("answerReview", { runId, requestId }, (actor) => getService().answerRequest(actor, { runId, requestId, response: isApproval ? "approve" : guidance }));
}
