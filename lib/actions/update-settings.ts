"use server";

import { getService, type WorkspaceSettings } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** An admin changes the workspace settings. Fields: allowSelfApproval, allowSignUp ("true" | "false"), maxRevisionRounds (a number). */
export async function updateSettingsAction(
  _previous: ActionState<WorkspaceSettings>,
  formData: FormData,
): Promise<ActionResult<WorkspaceSettings>> {
  const rounds = textField(formData, "maxRevisionRounds").trim();
  return runAction("updateSettings", {}, (actor) =>
    getService().people.updateSettings(actor, {
      allowSelfApproval: textField(formData, "allowSelfApproval") === "true",
      allowSignUp: textField(formData, "allowSignUp") === "true",
      ...(rounds === "" ? {} : { maxRevisionRounds: Number(rounds) }),
    }),
  );
}
