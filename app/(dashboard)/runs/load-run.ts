import "server-only";
import { getService, isServiceError, type DraftgateService, type RunDetail, type WriterInfo } from "@/lib/services";

/** The run for a page, or null when there is no such run (the page then renders its not-found state). */
export async function loadRunOrNotFound(runId: string): Promise<{ service: DraftgateService; run: RunDetail | null }> {
  const service = getService();
  try {
    return { service, run: await service.getRun(runId) };
  } catch (error) {
    if (isServiceError(error) && error.code === "RUN_NOT_FOUND") return { service, run: null };
    throw error;
  }
}

/** The writer a run was written by, as the page names it. */
export function writerOf(run: RunDetail): Pick<WriterInfo, "label" | "isModel"> {
  return { label: run.writer, isModel: run.writerIsModel };
}
