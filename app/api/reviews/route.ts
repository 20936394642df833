// GET /api/reviews — the review inbox: runs awaiting review, oldest first, and how many there are.
import { jsonError, listReviewsQuerySchema, parseSearchParams, requireActor } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const actor = await requireActor(request);
    const { limit } = parseSearchParams(request, listReviewsQuerySchema);
    const service = getService();
    return Response.json({ reviews: service.listInbox(actor, { limit }), count: service.countAwaitingReview(actor) });
  } catch (error) {
    return jsonError(error, request);
  }
}
