import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/current";
import { getService } from "@/lib/services";

/**
 * Decides "no such run" before the page streams its loading state, so an unknown run answers HTTP 404
 * (a notFound() inside the streamed page could only change what is shown, not the status).
 */
export default async function RunLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ runId: string }>;
}) {
  const { runId } = await params;
  if (!(await getService().hasRun(await requirePageActor(), runId))) notFound();
  return children;
}
