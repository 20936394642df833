import { logger } from "@/lib/logger";
import { toErrorResponse } from "./errors";

/**
 * The one way route handlers turn a failure into a response: `{ error: { code, message, fieldErrors?, details? } }`
 * with the status `toErrorResponse` maps the code to (and `Retry-After` on a 429). Unexpected errors (500) are logged with the request's
 * method and path and answered with a generic message, so stack traces and internals never reach clients.
 */
export function jsonError(error: unknown, request: Request): Response {
  const { status, body } = toErrorResponse(error);
  if (status >= 500) {
    logger.error({ err: error, method: request.method, path: pathOf(request) }, "unexpected error in API route");
  }
  const retryAfter = status === 429 ? body.error.details?.retryAfterSeconds : undefined;
  return Response.json(body, {
    status,
    headers: {
      "Cache-Control": "no-store",
      ...(typeof retryAfter === "number" ? { "Retry-After": String(retryAfter) } : {}),
    },
  });
}

function pathOf(request: Request): string {
  try {
    return new URL(request.url).pathname;
  } catch {
    return request.url;
  }
}
