"use server";

import { getService } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** "Retry from last checkpoint" for a failed run. Form field: runId. */
export async function retryRunAction(
  _previous: ActionState<{ runId: string }>,
  formData: FormData,
): Promise<ActionResult<{ runId: string }>> {
  const runId = textField(formData, "runId");
  return runAction("retryRun", { runId }, (actor) => getService().retryRun(actor, runId));
}
