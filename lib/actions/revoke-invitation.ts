"use server";

import { getService } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** An admin withdraws an invitation that was not used yet. Field: invitationId. */
export async function revokeInvitationAction(
  _previous: ActionState<null>,
  formData: FormData,
): Promise<ActionResult<null>> {
  const invitationId = textField(formData, "invitationId");
  return runAction("revokeInvitation", { invitationId }, async (actor) => {
    await getService().people.revokeInvitation(actor, { invitationId });
    return null;
  });
}
