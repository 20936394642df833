// POST /api/checkpoints/:checkpointId/resume — continue the run from this checkpoint (a branch if not the newest).
import { assertSameOrigin, checkpointNotFound, jsonError, parseIdParam, parseJsonBody, resumeBodySchema } from "@/lib/http";
import { getService } from "@/lib/services";

export async function POST(request: Request, { params }: { params: Promise<{ checkpointId: string }> }) {
  try {
    assertSameOrigin(request);
    const checkpointId = parseIdParam((await params).checkpointId, checkpointNotFound);
    const { responses, respondedBy, branch } = await parseJsonBody(request, resumeBodySchema, { allowEmpty: true });
    const resumed = await getService().resumeFromCheckpoint({ checkpointId, responses, respondedBy, branch });
    return Response.json(resumed, { status: 202 });
  } catch (error) {
    return jsonError(error, request);
  }
}
