// GET /api/review-policy — the approval policy new runs start with; PUT /api/review-policy (admins) saves its next version.
import { assertSameOrigin, jsonError, parseJsonBody, requireActor, reviewPolicyBodySchema } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const actor = await requireActor(request);
    return Response.json(await getService().getReviewPolicy(actor));
  } catch (error) {
    return jsonError(error, request);
  }
}

export async function PUT(request: Request) {
  try {
    assertSameOrigin(request);
    const actor = await requireActor(request);
    const changes = await parseJsonBody(request, reviewPolicyBodySchema);
    // only the fields the body names change
    const named = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    return Response.json(await getService().updateReviewPolicy(actor, named));
  } catch (error) {
    return jsonError(error, request);
  }
}
