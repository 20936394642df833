import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { contentSecurityPolicy, isTrustedHost, SECURITY_HEADERS } from "@/lib/http/security-headers";

/**
 * Runs before every request (Next 16's proxy, on Node.js): refuses Host names that are not this server's (a
 * DNS-rebinding defence), gives each page a CSP nonce, and adds the security headers. Who may see what is
 * decided by the pages, routes and services, not here.
 */
export function proxy(request: NextRequest) {
  const env = getEnv();
  if (
    !isTrustedHost(request.headers.get("host"), {
      appUrl: env.APP_URL,
      port: env.PORT,
      allowedHosts: env.ALLOWED_HOSTS,
    })
  ) {
    return new NextResponse(
      "This server does not answer to that host name. Open it at its configured address (APP_URL), or add the name to ALLOWED_HOSTS.",
      {
        status: 421,
        headers: { "Content-Type": "text/plain; charset=utf-8", ...SECURITY_HEADERS },
      },
    );
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy({
    nonce,
    isDev: process.env.NODE_ENV === "development",
    formTargets: env.OIDC_ISSUER ? [new URL(env.OIDC_ISSUER).origin] : [],
  });
  const requestHeaders = new Headers(request.headers);
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("x-draftgate-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  // every route, static assets included (they get the headers too), but not Next's image optimizer
  matcher: ["/((?!_next/image).*)"],
};
