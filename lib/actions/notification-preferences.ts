"use server";

import { getService, type NotificationPreferences } from "@/lib/services";
import { runAction } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/**
 * The signed-in person chooses which kinds of events they hear of by email. Fields: kind (repeated: every kind
 * the form showed) and email (repeated: the kinds left on). A kind shown and not checked is turned off; the
 * service refuses kinds it does not know.
 */
export async function updateNotificationPreferencesAction(
  _previous: ActionState<NotificationPreferences>,
  formData: FormData,
): Promise<ActionResult<NotificationPreferences>> {
  const on = new Set(textValues(formData, "email"));
  const choices = textValues(formData, "kind").map((kind) => ({ kind, email: on.has(kind) }));
  return runAction("updateNotificationPreferences", {}, (actor) =>
    getService().notifications.updateMyPreferences(actor, choices),
  );
}

function textValues(formData: FormData, name: string): string[] {
  return formData.getAll(name).filter((value): value is string => typeof value === "string");
}
