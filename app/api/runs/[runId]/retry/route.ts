// POST /api/runs/:runId/retry — retry a failed run from its last checkpoint; 202 once it is executing again.
import { assertSameOrigin, jsonError, parseIdParam, requireActor, runNotFound } from "@/lib/http";
import { getService } from "@/lib/services";

export async function POST(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  try {
    assertSameOrigin(request);
    const actor = await requireActor(request);
    const runId = parseIdParam((await params).runId, runNotFound);
    return Response.json(await getService().retryRun(actor, runId), { status: 202 });
  } catch (error) {
    return jsonError(error, request);
  }
}
