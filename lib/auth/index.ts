import "server-only";
import { getEnv } from "@/lib/env";
import { getService, type Actor, type SignInMethod } from "@/lib/services";
import { createAuth, type DraftgateAuth } from "./auth";
import { bearerToken } from "./bearer";
import { resolveAuthSecret } from "./secret";

export { OIDC_PROVIDER_ID } from "./auth";
export { bearerToken } from "./bearer";

const globalForAuth = globalThis as unknown as { draftgateAuth?: DraftgateAuth };

/** The process-wide sign-in library instance, on the service's store (SQLite or PostgreSQL). */
export function getAuth(): DraftgateAuth {
  if (!globalForAuth.draftgateAuth) {
    const env = getEnv();
    const service = getService();
    globalForAuth.draftgateAuth = createAuth({
      database: service.store.authDatabase,
      env,
      secret: resolveAuthSecret({
        configured: env.BETTER_AUTH_SECRET,
        databaseFile: env.DATABASE_FILE,
        isSharedDatabase: env.DATABASE_URL !== undefined,
      }),
      people: service.people,
    });
  }
  return globalForAuth.draftgateAuth;
}

/** Company sign-in, when configured: the button's label. */
export function oidcSignInName(): string | null {
  const env = getEnv();
  return env.OIDC_ISSUER ? env.OIDC_DISPLAY_NAME : null;
}

/**
 * Who sends a request: the owner of an `Authorization: Bearer <API key>`, else the person of the session
 * cookie. Null when neither is valid, or the person is deactivated.
 */
export async function actorFromHeaders(headers: Headers): Promise<Actor | null> {
  const bearer = bearerToken(headers);
  if (bearer !== null) return getService().people.actorForApiKey(bearer);
  const session = await getAuth().api.getSession({ headers });
  if (!session) return null;
  const method = (session.session as { signInMethod?: string }).signInMethod === "oidc" ? "oidc" : "password";
  return getService().people.actorForUser(session.user.id, method satisfies SignInMethod);
}
