// DELETE /api/runs/:runId/assignees/:userId — take a reviewer off the run (reviewers and admins); returns the assignees.
import { assertSameOrigin, jsonError, parseIdParam, requireActor, runNotFound } from "@/lib/http";
import { getService } from "@/lib/services";

export async function DELETE(request: Request, { params }: { params: Promise<{ runId: string; userId: string }> }) {
  try {
    assertSameOrigin(request);
    const actor = await requireActor(request);
    const { runId: rawRunId, userId } = await params;
    const runId = parseIdParam(rawRunId, runNotFound);
    return Response.json({
      assignees: await getService().unassignReviewer(actor, { runId, userId: decodeURIComponent(userId) }),
    });
  } catch (error) {
    return jsonError(error, request);
  }
}
