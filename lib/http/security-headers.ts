/**
 * The browser-facing security rules every response carries, and the DNS-rebinding defence on the Host header.
 * Pure functions over the configuration, used by `proxy.ts` (which runs before every route).
 */

export interface HostPolicy {
  /** APP_URL, e.g. http://localhost:3000 or https://drafts.example.com. */
  appUrl: string;
  /** The port the server listens on (loopback names are allowed on it). */
  port: number;
  /** More host names (with or without a port) from ALLOWED_HOSTS. */
  allowedHosts: readonly string[];
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/**
 * Whether a request's `Host` names this server: APP_URL's host, a loopback name on the server's port, or an
 * allow-listed host. A page on another name that resolves here (DNS rebinding) is refused.
 */
export function isTrustedHost(host: string | null, policy: HostPolicy): boolean {
  if (!host) return false;
  const normalized = host.trim().toLowerCase();
  const app = new URL(policy.appUrl);
  const appHost = app.port ? `${app.hostname}:${app.port}` : app.hostname;
  if (normalized === appHost.toLowerCase() || normalized === `${app.hostname}:${app.protocol === "https:" ? 443 : 80}`)
    return true;
  if (LOOPBACK_NAMES.some((name) => normalized === `${name}:${policy.port}`)) return true;
  return policy.allowedHosts.some((allowed) => {
    const entry = allowed.trim().toLowerCase();
    return entry.includes(":") && !entry.startsWith("[")
      ? normalized === entry
      : normalized === entry || normalized.startsWith(`${entry}:`);
  });
}

/**
 * The Content-Security-Policy of a page: scripts only from this origin with the request's nonce (Next adds it to
 * its own scripts), nothing framing the app, forms posting only here (and to the company sign-in, which is a
 * redirect after a form post).
 */
export function contentSecurityPolicy(options: {
  nonce: string;
  isDev: boolean;
  formTargets?: readonly string[];
}): string {
  const scripts = [
    "'self'",
    `'nonce-${options.nonce}'`,
    "'strict-dynamic'",
    ...(options.isDev ? ["'unsafe-eval'"] : []),
  ];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(" ")}`,
    // React sets style attributes (and Next inlines critical CSS); styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${options.isDev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${options.formTargets?.length ? ` ${options.formTargets.join(" ")}` : ""}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The other headers every response gets. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};
