"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth";
import { safeReturnPath } from "@/lib/auth/return-path";
import { textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** Signs in with email and password; on success the session cookie is set and the browser goes to `returnTo`. */
export async function signInAction(_previous: ActionState<null>, formData: FormData): Promise<ActionResult<null>> {
  try {
    await getAuth().api.signInEmail({ body: { email: textField(formData, "email").trim(), password: textField(formData, "password") }, headers: await headers() });
  } catch {
    // one message for an unknown email, a wrong password and a deactivated account: none of them is told apart
    return { ok: false, error: { code: "SIGN_IN_FAILED", message: "That email and password do not match an active account." } };
  }
  redirect(safeReturnPath(textField(formData, "returnTo")));
}
