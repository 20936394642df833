// GET /api/reviews?assigned=me — the review inbox: runs awaiting review (all, or assigned to me), oldest first, and how many await review in all.
import { jsonError, listReviewsQuerySchema, parseSearchParams, requireActor } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const actor = await requireActor(request);
    const { limit, assigned } = parseSearchParams(request, listReviewsQuerySchema);
    const service = getService();
    return Response.json({
      reviews: await service.listInbox(actor, { limit, assigned }),
      count: await service.countAwaitingReview(actor),
    });
  } catch (error) {
    return jsonError(error, request);
  }
}
