"use server";

import { getService, type RunStatus } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** Submits a brief for the release-notes workflow as the signed-in person; the run starts in the background. Form field: brief. */
export async function submitBriefAction(
  _previous: ActionState<{ runId: string; status: RunStatus }>,
  formData: FormData,
): Promise<ActionResult<{ runId: string; status: RunStatus }>> {
  return runAction("submitBrief", {}, (actor) =>
    getService().submitBrief(actor, { brief: textField(formData, "brief") }),
  );
}
