// GET /api/health — liveness probe for Playwright's webServer and deploy checks.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}
