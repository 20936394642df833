// POST /api/runs/:runId/responses — answer the run's pending review request (one per call); 202 once durable.
import {
  answerRequestBodySchema,
  assertSameOrigin,
  jsonError,
  parseIdParam,
  parseJsonBody,
  requireActor,
  runNotFound,
} from "@/lib/http";
import { getService } from "@/lib/services";

export async function POST(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  try {
    assertSameOrigin(request);
    const actor = await requireActor(request);
    const runId = parseIdParam((await params).runId, runNotFound);
    const { requestId, response } = await parseJsonBody(request, answerRequestBodySchema);
    const answered = await getService().answerRequest(actor, { runId, requestId, response });
    return Response.json(answered, { status: 202 });
  } catch (error) {
    return jsonError(error, request);
  }
}
