"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth";
import { getService } from "@/lib/services";
import { runAnonymousAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** First run: creates the first admin (once), signs them in and opens the dashboard. Fields: email, name, password, selfApproval ("allow" | "forbid"). */
export async function setUpAction(_previous: ActionState<null>, formData: FormData): Promise<ActionResult<null>> {
  const email = textField(formData, "email").trim();
  const password = textField(formData, "password");
  const result = await runAnonymousAction("setUp", { email }, async () => {
    await getService().people.setUp({
      email,
      name: textField(formData, "name"),
      password,
      allowSelfApproval: textField(formData, "selfApproval") === "allow",
    });
    await getAuth().api.signInEmail({ body: { email, password }, headers: await headers() });
    return null;
  });
  if (!result.ok) return result;
  redirect("/people?welcome=1");
}
