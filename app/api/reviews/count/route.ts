// GET /api/reviews/count — how many runs await review (the navigation badge).
import { jsonError } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    return Response.json({ count: getService().countAwaitingReview() });
  } catch (error) {
    return jsonError(error, request);
  }
}
