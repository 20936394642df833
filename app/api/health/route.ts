// GET /api/health — liveness probe for Playwright's webServer and deploy checks; names the active writer.
import { jsonError } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    return Response.json({ ok: true, writer: getService().writer });
  } catch (error) {
    return jsonError(error, request);
  }
}
