"use server";

import { getService, type CreatedApiKey } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** Creates an API key for the signed-in person; the key is shown once. Field: name. */
export async function createApiKeyAction(
  _previous: ActionState<CreatedApiKey>,
  formData: FormData,
): Promise<ActionResult<CreatedApiKey>> {
  return runAction("createApiKey", {}, (actor) =>
    getService().people.createApiKey(actor, { name: textField(formData, "name") }),
  );
}

/** Revokes one of the signed-in person's API keys: it stops working at once. Field: keyId. */
export async function revokeApiKeyAction(
  _previous: ActionState<null>,
  formData: FormData,
): Promise<ActionResult<null>> {
  const keyId = textField(formData, "keyId");
  return runAction("revokeApiKey", { keyId }, async (actor) => {
    await getService().people.revokeApiKey(actor, { keyId });
    return null;
  });
}
