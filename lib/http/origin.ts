import { ServiceError } from "@/lib/services";

/**
 * Cross-site protection for state-changing API requests (issue 5, item 8). Browsers send `Origin` on every
 * cross-origin POST and pages cannot forge it, so a POST whose `Origin` names another host than the one it was
 * sent to came from another site's page. Requests without `Origin` (curl, the CLI, server-to-server calls) are
 * not browser cross-site requests and are allowed.
 *
 * The expected host is `X-Forwarded-Host` when a proxy sets it, else `Host` — the same choice Next.js makes
 * for its server-action origin check. (A page cannot set `X-Forwarded-Host` cross-site without a CORS
 * preflight, which this API never grants.)
 *
 * @throws ServiceError FORBIDDEN_ORIGIN (403)
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const expectedHost = firstValue(request.headers.get("x-forwarded-host")) ?? firstValue(request.headers.get("host"));
  if (expectedHost !== null && isSameHost(origin, expectedHost)) return;
  throw new ServiceError(
    "FORBIDDEN_ORIGIN",
    "Cross-site request refused: the Origin header does not match this server. Send the request from the Draftgate dashboard or without an Origin header (curl, scripts).",
  );
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
