"use server";

import { getService, type ReviewPolicy } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** An admin saves the next version of the approval policy. Field: requiredApprovals (a whole number; the service checks 1–10). */
export async function updateReviewPolicyAction(_previous: ActionState<ReviewPolicy>, formData: FormData): Promise<ActionResult<ReviewPolicy>> {
  const raw = textField(formData, "requiredApprovals").trim();
  // Not a number stays what was typed, so the service's message ("Enter a whole number.") applies to it.
  const requiredApprovals = raw === "" || Number.isNaN(Number(raw)) ? raw : Number(raw);
  return runAction("updateReviewPolicy", {}, (actor) => getService().updateReviewPolicy(actor, { requiredApprovals }));
}
