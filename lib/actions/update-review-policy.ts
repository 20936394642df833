"use server";

import { getService, ServiceError, type ReviewPolicy } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/**
 * An admin saves the next version of the approval policy. Fields: requiredApprovals (a whole number), deadlineHours,
 * reminder ("on") with reminderHoursBefore, expiry ("on") with expireAfterHours, escalateToUserIds (repeated; none:
 * the admins). The form speaks hours and the service minutes: this converts, and the service checks the values.
 */
export async function updateReviewPolicyAction(
  _previous: ActionState<ReviewPolicy>,
  formData: FormData,
): Promise<ActionResult<ReviewPolicy>> {
  return runAction("updateReviewPolicy", {}, (actor) =>
    getService().updateReviewPolicy(actor, policyChangesOf(formData)),
  );
}

function policyChangesOf(formData: FormData) {
  const raw = textField(formData, "requiredApprovals").trim();
  // Not a number stays what was typed, so the service's message ("Enter a whole number.") applies to it.
  const requiredApprovals = raw === "" || Number.isNaN(Number(raw)) ? raw : Number(raw);
  const fieldErrors: Record<string, string[]> = {};
  const minutesOf = (field: string, errorField: string, what: string): number | null => {
    const text = textField(formData, field).trim();
    const hours = Number(text);
    if (text === "" || !Number.isFinite(hours)) {
      fieldErrors[errorField] = [`${what}: enter a number of hours.`];
      return null;
    }
    return Math.round(hours * 60);
  };
  const changes = {
    requiredApprovals,
    deadlineMinutes: minutesOf("deadlineHours", "deadlineMinutes", "Deadline"),
    // a timer switched off sends no hours (its field is disabled): null turns it off
    reminderMinutesBefore:
      textField(formData, "reminder") === "on"
        ? minutesOf("reminderHoursBefore", "reminderMinutesBefore", "Reminder")
        : null,
    expireAfterMinutes:
      textField(formData, "expiry") === "on" ? minutesOf("expireAfterHours", "expireAfterMinutes", "Expiry") : null,
    escalateToUserIds: formData
      .getAll("escalateToUserIds")
      .filter((value): value is string => typeof value === "string"),
  };
  const [first] = Object.values(fieldErrors);
  if (first) throw new ServiceError("VALIDATION_FAILED", first[0] ?? "The policy is invalid.", { fieldErrors });
  return changes;
}
