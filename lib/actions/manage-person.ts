"use server";

import { getService, type Person } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/**
 * An admin changes someone: their role, or whether they are active. Fields: userId, and either role, or
 * active ("true" reactivates, "false" deactivates: sessions and API keys stop working at once).
 */
export async function managePersonAction(
  _previous: ActionState<Person>,
  formData: FormData,
): Promise<ActionResult<Person>> {
  const userId = textField(formData, "userId");
  const active = textField(formData, "active");
  return runAction("managePerson", { userId }, (actor) => {
    const people = getService().people;
    if (active === "false") return people.deactivate(actor, { userId });
    if (active === "true") return people.reactivate(actor, { userId });
    return people.setRole(actor, { userId, role: textField(formData, "role") });
  });
}
