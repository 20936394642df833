// GET /api/checkpoints/:checkpointId — the whole checkpoint, decoded, with its summary.
import { checkpointNotFound, jsonError, parseIdParam, requireActor } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ checkpointId: string }> }) {
  try {
    const actor = await requireActor(request);
    const checkpointId = parseIdParam((await params).checkpointId, checkpointNotFound);
    return Response.json(await getService().getCheckpoint(actor, checkpointId));
  } catch (error) {
    return jsonError(error, request);
  }
}
