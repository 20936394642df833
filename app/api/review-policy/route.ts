// GET /api/review-policy — the approval policy new runs start with; PUT /api/review-policy (admins) saves its next version.
import { assertSameOrigin, jsonError, parseJsonBody, requireActor, reviewPolicyBodySchema } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const actor = await requireActor(request);
    return Response.json(getService().getReviewPolicy(actor));
  } catch (error) {
    return jsonError(error, request);
  }
}

export async function PUT(request: Request) {
  try {
    assertSameOrigin(request);
    const actor = await requireActor(request);
    const { requiredApprovals } = await parseJsonBody(request, reviewPolicyBodySchema);
    return Response.json(getService().updateReviewPolicy(actor, { requiredApprovals }));
  } catch (error) {
    return jsonError(error, request);
  }
}
