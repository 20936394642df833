"use server";

import { getService, type RunStatus } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** Submits a brief for the release-notes workflow; the run starts in the background. Form fields: brief, submittedBy. */
export async function submitBriefAction(_previous: ActionState<{ runId: string; status: RunStatus }>, formData: FormData): Promise<ActionResult<{ runId: string; status: RunStatus }>> {
  const submittedBy = textField(formData, "submittedBy");
  return runAction("submitBrief", { submittedBy }, () => getService().submitBrief({ brief: textField(formData, "brief"), submittedBy }));
}
