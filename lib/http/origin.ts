import { bearerToken } from "@/lib/auth/bearer";
import { HttpError } from "./errors";

/**
 * Cross-site protection for state-changing API requests. A request authenticated by an API key
 * (`Authorization: Bearer`), or carrying no cookie at all, has no ambient credential a foreign page could borrow,
 * so it passes (the actor check then answers 401 if it has no credential either). One carrying the session cookie must come from a Draftgate page: its `Origin` must name the host it was
 * sent to (browsers send `Origin` on every POST and pages cannot forge it), and a body must be declared as
 * `application/json` (which a cross-site form cannot send without a CORS preflight, never granted here).
 *
 * The expected host is `X-Forwarded-Host` when a proxy sets it, else `Host` — the same choice Next.js makes
 * for its server-action origin check. (A page cannot set `X-Forwarded-Host` cross-site without a CORS
 * preflight, which this API never grants.)
 *
 * @throws HttpError FORBIDDEN_ORIGIN (403)
 */
export function assertSameOrigin(request: Request): void {
  // without a cookie there is no ambient credential to borrow: the actor check answers 401 if nothing else does
  if (bearerToken(request.headers) !== null || !request.headers.has("cookie")) return;
  const origin = request.headers.get("origin");
  const expectedHost = firstValue(request.headers.get("x-forwarded-host")) ?? firstValue(request.headers.get("host"));
  if (origin === null || expectedHost === null || !isSameHost(origin, expectedHost)) {
    throw new HttpError(
      "FORBIDDEN_ORIGIN",
      "Request refused: a change made with a session cookie must come from the Draftgate dashboard (same Origin). Scripts send an API key as `Authorization: Bearer <key>`.",
    );
  }
  const hasBody = request.body !== null && request.headers.get("content-length") !== "0";
  const contentType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (hasBody && contentType !== "application/json") {
    throw new HttpError(
      "FORBIDDEN_ORIGIN",
      "Request refused: send the body as JSON, with `Content-Type: application/json`.",
    );
  }
}

/**
 * Compares host and port, reading the Host header with the Origin's scheme so a default port written out
 * (`example.com:443`) equals one left implicit. `null`, opaque and malformed origins never match.
 */
function isSameHost(origin: string, expectedHost: string): boolean {
  try {
    const originUrl = new URL(origin);
    if (originUrl.protocol !== "http:" && originUrl.protocol !== "https:") return false;
    const expectedUrl = new URL(`${originUrl.protocol}//${expectedHost}`);
    return expectedUrl.host === originUrl.host;
  } catch {
    return false;
  }
}

function firstValue(header: string | null): string | null {
  const value = header?.split(",")[0]?.trim();
  return value ? value : null;
}
