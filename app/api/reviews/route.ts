// GET /api/reviews — the review inbox: runs awaiting review, oldest first, and how many there are.
import { jsonError, listReviewsQuerySchema, parseSearchParams } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const { limit } = parseSearchParams(request, listReviewsQuerySchema);
    const service = getService();
    return Response.json({ reviews: service.listInbox({ limit }), count: service.countAwaitingReview() });
  } catch (error) {
    return jsonError(error, request);
  }
}
