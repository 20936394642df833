"use server";

import { getService } from "@/lib/services";
import { runAction, textField } from "./run-action";
import { resumeResponseField, type ActionResult, type ActionState } from "./types";

const RESPONSE_FIELD_PREFIX = resumeResponseField("");

/**
 * Resumes a run from one of its checkpoints (a branch when it is not the newest). Form fields: checkpointId,
 * reason (required to re-open a completed run), `response:<requestId>` per pending request (an empty answer is not pre-supplied: the run asks for
 * it again), and branch ("true" when the reviewer chose an older checkpoint on purpose, which may answer a
 * request differently from how it was answered before; without it such an answer is REQUEST_ALREADY_ANSWERED).
 */
export async function resumeRunAction(
  _previous: ActionState<{ runId: string }>,
  formData: FormData,
): Promise<ActionResult<{ runId: string }>> {
  const checkpointId = textField(formData, "checkpointId");
  const reason = textField(formData, "reason");
  const branch = textField(formData, "branch") === "true";
  const responses: Record<string, string> = {};
  for (const [name, value] of formData.entries()) {
    if (!name.startsWith(RESPONSE_FIELD_PREFIX) || typeof value !== "string" || value.trim() === "") continue;
    responses[name.slice(RESPONSE_FIELD_PREFIX.length)] = value;
  }
  return runAction("resumeRun", { checkpointId, branch, requestIds: Object.keys(responses) }, (actor) =>
    getService().resumeFromCheckpoint(actor, { checkpointId, responses, branch, ...(reason.trim() ? { reason } : {}) }),
  );
}
