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

/**
 * The writer a run was written by. RunDetail carries only its label; whether it is a model is known for this
 * process's writer, and the offline writer's label says so for runs written elsewhere.
 */
export function writerOf(service: DraftgateService, label: string): Pick<WriterInfo, "label" | "isModel"> {
  if (label === service.writer.label) return { label, isModel: service.writer.isModel };
  return { label, isModel: !/^offline/i.test(label) };
}
