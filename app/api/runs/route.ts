// GET /api/runs (list, newest first, paged) and POST /api/runs (submit a brief) — see docs/API.md.
import {
  assertSameOrigin,
  createRunBodySchema,
  jsonError,
  listRunsQuerySchema,
  parseJsonBody,
  parseSearchParams,
  requireActor,
} from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const actor = await requireActor(request);
    const query = parseSearchParams(request, listRunsQuerySchema);
    return Response.json(await getService().listRuns(actor, query));
  } catch (error) {
    return jsonError(error, request);
  }
}

export async function POST(request: Request) {
  try {
    assertSameOrigin(request);
    const actor = await requireActor(request);
    const { brief } = await parseJsonBody(request, createRunBodySchema);
    const created = await getService().submitBrief(actor, { brief });
    return Response.json(created, { status: 201, headers: { Location: `/api/runs/${created.runId}` } });
  } catch (error) {
    return jsonError(error, request);
  }
}
