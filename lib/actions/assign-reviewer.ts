"use server";

import { getService, type Assignee } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** Asks a reviewer (or admin) to review a run's drafts. Form fields: runId, userId. Returns the run's assignees. */
export async function assignReviewerAction(
  _previous: ActionState<Assignee[]>,
  formData: FormData,
): Promise<ActionResult<Assignee[]>> {
  const runId = textField(formData, "runId");
  const userId = textField(formData, "userId");
  return runAction("assignReviewer", { runId, userId }, (actor) =>
    getService().assignReviewer(actor, { runId, userId }),
  );
}
