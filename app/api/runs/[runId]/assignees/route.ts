// POST /api/runs/:runId/assignees — assign a reviewer to the run's drafts (reviewers and admins); returns the assignees.
import {
  assertSameOrigin,
  assignReviewerBodySchema,
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
    const { userId } = await parseJsonBody(request, assignReviewerBodySchema);
    return Response.json({ assignees: await getService().assignReviewer(actor, { runId, userId }) });
  } catch (error) {
    return jsonError(error, request);
  }
}
