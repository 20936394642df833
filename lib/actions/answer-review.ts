"use server";

import { getService, type AnswerResult } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

const DECISIONS = ["approve", "revise", "edit", "reject"] as const;

/**
 * Records a reviewer's decision on a run's pending request. Form fields: runId, requestId, draftSha256 (of the draft
 * the reviewer read: the decision is refused with DRAFT_CHANGED if the draft changed meanwhile), decision
 * ("approve" | "revise" | "edit" | "reject"), and with it guidance (empty: the workflow's default guidance), text (the
 * edited draft) or reason (why it is rejected). The decision is the signed-in person's; the service checks the rest.
 */
export async function answerReviewAction(
  _previous: ActionState<AnswerResult>,
  formData: FormData,
): Promise<ActionResult<AnswerResult>> {
  const runId = textField(formData, "runId");
  const requestId = textField(formData, "requestId");
  const draftSha256 = textField(formData, "draftSha256");
  const decision = DECISIONS.find((candidate) => candidate === textField(formData, "decision")) ?? "revise";
  // only the field of the chosen decision: the form holds them all
  const words = {
    approve: {},
    revise: { guidance: textField(formData, "guidance") },
    edit: { text: textField(formData, "text") },
    reject: { reason: textField(formData, "reason") },
  }[decision];
  const response = { decision, ...words, ...(draftSha256 ? { draftSha256 } : {}) };
  return runAction("answerReview", { runId, requestId, decision }, (actor) =>
    getService().answerRequest(actor, { runId, requestId, response }),
  );
}
