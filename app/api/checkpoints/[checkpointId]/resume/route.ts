// POST /api/checkpoints/:checkpointId/resume — continue the run from this checkpoint (a branch if not the newest; re-opening a completed run needs a reason).
import {
  assertSameOrigin,
  checkpointNotFound,
  jsonError,
  parseIdParam,
  parseJsonBody,
  requireActor,
  resumeBodySchema,
} from "@/lib/http";
import { getService } from "@/lib/services";

export async function POST(request: Request, { params }: { params: Promise<{ checkpointId: string }> }) {
  try {
    assertSameOrigin(request);
    const actor = await requireActor(request);
    const checkpointId = parseIdParam((await params).checkpointId, checkpointNotFound);
    const { responses, branch, reason } = await parseJsonBody(request, resumeBodySchema, { allowEmpty: true });
    const resumed = await getService().resumeFromCheckpoint(actor, { checkpointId, responses, branch, reason });
    return Response.json(resumed, { status: 202 });
  } catch (error) {
    return jsonError(error, request);
  }
}
