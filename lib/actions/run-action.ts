import "server-only";
import { currentActor } from "@/lib/auth/current";
import { logger } from "@/lib/logger";
import { toErrorResponse } from "@/lib/http/errors";
import type { Actor } from "@/lib/services";
import type { ActionResult } from "./types";

/** What a form shows when the session ended while someone was typing: they sign in elsewhere and send again. */
export const SESSION_ENDED: ActionResult<never> = {
  ok: false,
  error: {
    code: "UNAUTHENTICATED",
    message: "Your session has ended. Sign in again in a new tab, then send this again: what you typed stays here.",
  },
};

/**
 * Runs a server action's use case for the signed-in person and turns failures into values: expected ones keep
 * their code, message and field errors (the same mapping the route handlers use); unexpected ones are logged
 * with context and come back as a generic message.
 */
export async function runAction<T>(
  action: string,
  context: Record<string, unknown>,
  body: (actor: Actor) => Promise<T> | T,
): Promise<ActionResult<T>> {
  const actor = await currentActor();
  if (!actor) return SESSION_ENDED;
  return runAnonymousAction(action, context, () => body(actor));
}

/** {@link runAction} for the steps before anyone is signed in (setup, sign-in, accepting an invitation). */
export async function runAnonymousAction<T>(
  action: string,
  context: Record<string, unknown>,
  body: () => Promise<T> | T,
): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    const { status, body: errorBody } = toErrorResponse(error);
    if (status >= 500) logger.error({ err: error, action, ...context }, "server action failed");
    return { ok: false, error: errorBody.error };
  }
}

/** A form field as text: absent fields and file uploads count as empty. */
export function textField(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}
