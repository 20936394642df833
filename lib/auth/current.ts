import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getService, type Actor } from "@/lib/services";
import { actorFromHeaders } from ".";

/** The signed-in person of the request being rendered (or acted on), or null. Read once per request. */
export const currentActor = cache(async (): Promise<Actor | null> => actorFromHeaders(await headers()));

/**
 * For pages (and their layout, which renders alongside them, so each checks): the signed-in person, or a
 * redirect to the setup page (nobody exists yet) or to the sign-in page, which comes back here afterwards.
 */
export async function requirePageActor(): Promise<Actor> {
  const actor = await currentActor();
  if (actor) return actor;
  if (await getService().people.needsSetup()) redirect("/setup");
  const here = (await headers()).get("x-draftgate-path") ?? "/";
  redirect(`/sign-in?returnTo=${encodeURIComponent(here)}`);
}
