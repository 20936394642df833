"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth";
import { getService } from "@/lib/services";
import { runAnonymousAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** Creates the invited person's account from an invitation link (once), signs them in, opens the inbox. Fields: token, name, password. */
export async function acceptInvitationAction(
  _previous: ActionState<null>,
  formData: FormData,
): Promise<ActionResult<null>> {
  const password = textField(formData, "password");
  const result = await runAnonymousAction("acceptInvitation", {}, async () => {
    const person = await getService().people.acceptInvitation({
      token: textField(formData, "token"),
      name: textField(formData, "name"),
      password,
    });
    await getAuth().api.signInEmail({ body: { email: person.email, password }, headers: await headers() });
    return null;
  });
  if (!result.ok) return result;
  redirect("/reviews");
}
