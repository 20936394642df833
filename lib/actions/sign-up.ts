"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth";
import { getService } from "@/lib/services";
import { runAnonymousAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** Open sign-up (only when an admin turned it on): a new author account, signed in. Fields: email, name, password. */
export async function signUpAction(_previous: ActionState<null>, formData: FormData): Promise<ActionResult<null>> {
  const email = textField(formData, "email").trim();
  const password = textField(formData, "password");
  const result = await runAnonymousAction("signUp", { email }, async () => {
    await getService().people.signUp({ email, name: textField(formData, "name"), password });
    await getAuth().api.signInEmail({ body: { email, password }, headers: await headers() });
    return null;
  });
  if (!result.ok) return result;
  redirect("/runs/new");
}
