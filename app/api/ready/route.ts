// GET /api/ready: readiness probe for load balancers and orchestrators: 200 when the database answers and has
// every migration this release ships, else 503. No sign-in, and nothing in it but those facts.
import { jsonError } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  try {
    const readiness = await getService().readiness();
    return Response.json(readiness, { status: readiness.ready ? 200 : 503 });
  } catch (error) {
    return jsonError(error, request);
  }
}
