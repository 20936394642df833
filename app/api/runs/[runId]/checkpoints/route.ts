// GET /api/runs/:runId/checkpoints — every checkpoint of the run, oldest first (SPEC §7 summaries with parentId).
import { jsonError, parseIdParam, requireActor, runNotFound } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  try {
    const actor = await requireActor(request);
    const runId = parseIdParam((await params).runId, runNotFound);
    return Response.json({ checkpoints: await getService().listCheckpoints(actor, runId) });
  } catch (error) {
    return jsonError(error, request);
  }
}
