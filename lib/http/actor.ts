import { actorFromHeaders } from "@/lib/auth";
import { ServiceError, type Actor } from "@/lib/services";

/**
 * The person a request acts for: the session cookie's, or an API key's (`Authorization: Bearer <key>`).
 * @throws ServiceError UNAUTHENTICATED (401) when there is neither, or the person is deactivated.
 */
export async function requireActor(request: Request): Promise<Actor> {
  const actor = await actorFromHeaders(request.headers);
  if (!actor)
    throw new ServiceError(
      "UNAUTHENTICATED",
      "Sign in first, or send an API key as `Authorization: Bearer <key>` (create one under Settings).",
    );
  return actor;
}
