"use server";

import { getService, type CreatedInvitation } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** An admin invites someone by email with a role; the link is shown once to copy. Fields: email, role. */
export async function invitePersonAction(
  _previous: ActionState<CreatedInvitation>,
  formData: FormData,
): Promise<ActionResult<CreatedInvitation>> {
  return runAction("invitePerson", {}, (actor) =>
    getService().people.invite(actor, {
      email: textField(formData, "email").trim(),
      role: textField(formData, "role"),
    }),
  );
}
