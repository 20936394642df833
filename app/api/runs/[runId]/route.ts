// GET /api/runs/:runId — the run's detail: status, drafts, pending and superseded requests, decisions, outputs.
import { jsonError, parseIdParam, requireActor, runNotFound } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  try {
    const actor = await requireActor(request);
    const runId = parseIdParam((await params).runId, runNotFound);
    return Response.json(await getService().getRun(actor, runId));
  } catch (error) {
    return jsonError(error, request);
  }
}
