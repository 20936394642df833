import "server-only";
import { logger } from "@/lib/logger";
import { toErrorResponse } from "@/lib/services";
import type { ActionResult } from "./types";

/**
 * Runs a server action's use case and turns failures into values: expected ones keep their code, message and
 * field errors (the same mapping the route handlers use); unexpected ones are logged with context and come back
 * as a generic message.
 */
export async function runAction<T>(action: string, context: Record<string, unknown>, body: () => Promise<T>): Promise<ActionResult<T>> {
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
