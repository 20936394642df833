"use server";

import { getService, type Assignee } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** Takes a reviewer off a run. Form fields: runId, userId. Returns the run's assignees. */
export async function unassignReviewerAction(
  _previous: ActionState<Assignee[]>,
  formData: FormData,
): Promise<ActionResult<Assignee[]>> {
  const runId = textField(formData, "runId");
  const userId = textField(formData, "userId");
  return runAction("unassignReviewer", { runId, userId }, (actor) =>
    getService().unassignReviewer(actor, { runId, userId }),
  );
}
