// GET /api/runs (list, newest first, paged) and POST /api/runs (submit a brief) — see docs/API.md.
import { assertSameOrigin, createRunBodySchema, jsonError, listRunsQuerySchema, parseJsonBody, parseSearchParams } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const query = parseSearchParams(request, listRunsQuerySchema);
    return Response.json(getService().listRuns(query));
  } catch (error) {
    return jsonError(error, request);
  }
}

export async function POST(request: Request) {
  try {
    assertSameOrigin(request);
    const body = await parseJsonBody(request, createRunBodySchema);
    const created = await getService().submitBrief(body);
    return Response.json(created, { status: 201, headers: { Location: `/api/runs/${created.runId}` } });
  } catch (error) {
    return jsonError(error, request);
  }
}
