"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth";
import { clientAddressOf } from "@/lib/auth/client-address";
import { safeReturnPath } from "@/lib/auth/return-path";
import { getService, isServiceError } from "@/lib/services";
import { textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** Signs in with email and password; on success the session cookie is set and the browser goes to `returnTo`. */
export async function signInAction(_previous: ActionState<null>, formData: FormData): Promise<ActionResult<null>> {
  const requestHeaders = await headers();
  const email = textField(formData, "email").trim();
  try {
    await getService().people.noteSignInAttempt({ email, clientAddress: clientAddressOf(requestHeaders) });
  } catch (error) {
    if (isServiceError(error) && error.code === "RATE_LIMITED")
      return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
  try {
    await getAuth().api.signInEmail({
      body: { email, password: textField(formData, "password") },
      headers: requestHeaders,
    });
  } catch {
    // one message for an unknown email, a wrong password and a deactivated account: none of them is told apart
    return {
      ok: false,
      error: { code: "SIGN_IN_FAILED", message: "That email and password do not match an active account." },
    };
  }
  redirect(safeReturnPath(textField(formData, "returnTo")));
}
