// GET /api/reviews/count — how many runs await review (the navigation badge).
import { jsonError, requireActor } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const actor = await requireActor(request);
    return Response.json({ count: await getService().countAwaitingReview(actor) });
  } catch (error) {
    return jsonError(error, request);
  }
}
