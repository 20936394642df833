// GET /api/reviewers — active reviewers and admins: whom a run can be assigned to (reviewers and admins may ask).
import { jsonError, requireActor } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const actor = await requireActor(request);
    return Response.json({ reviewers: await getService().people.listReviewers(actor) });
  } catch (error) {
    return jsonError(error, request);
  }
}
