"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth, OIDC_PROVIDER_ID } from "@/lib/auth";
import { safeReturnPath } from "@/lib/auth/return-path";
import { logger } from "@/lib/logger";
import { textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** Starts company sign-in: the browser goes to the identity provider (PKCE and state are the library's) and comes back to `returnTo`. */
export async function signInWithOidcAction(
  _previous: ActionState<null>,
  formData: FormData,
): Promise<ActionResult<null>> {
  let url: string | undefined;
  try {
    const started = await getAuth().api.signInSocial({
      body: {
        provider: OIDC_PROVIDER_ID,
        callbackURL: safeReturnPath(textField(formData, "returnTo")),
        errorCallbackURL: "/sign-in?error=oidc",
      },
      headers: await headers(),
    });
    url = started.url;
  } catch (error) {
    logger.error({ err: error }, "company sign-in could not start");
  }
  if (!url)
    return {
      ok: false,
      error: {
        code: "SIGN_IN_FAILED",
        message: "Company sign-in is not reachable right now. Try again in a moment, or sign in with a password.",
      },
    };
  redirect(url);
}
