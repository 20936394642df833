import "server-only";
import { requirePageActor } from "@/lib/auth/current";
import {
  getService,
  isServiceError,
  type Actor,
  type DraftgateService,
  type RunDetail,
  type WriterInfo,
} from "@/lib/services";

/** The run for a page as the signed-in person sees it, or null when there is no such run (the page then renders its not-found state). */
export async function loadRunOrNotFound(
  runId: string,
): Promise<{ service: DraftgateService; actor: Actor; run: RunDetail | null }> {
  const service = getService();
  const actor = await requirePageActor();
  try {
    return { service, actor, run: await service.getRun(actor, runId) };
  } catch (error) {
    if (isServiceError(error) && error.code === "RUN_NOT_FOUND") return { service, actor, run: null };
    throw error;
  }
}

/** The writer a run was written by, as the page names it. */
export function writerOf(run: RunDetail): Pick<WriterInfo, "label" | "isModel"> {
  return { label: run.writer, isModel: run.writerIsModel };
}
