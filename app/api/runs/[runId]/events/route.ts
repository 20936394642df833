// GET /api/runs/:runId/events — Server-Sent Events: a `snapshot`, then the run's engine events as they happen.
import { createEventStreamResponse, jsonError, parseIdParam, requireActor, runNotFound } from "@/lib/http";
import { getService } from "@/lib/services";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Only runs executing in this server process produce events; a run executing elsewhere (the CLI, another
 * server) stays silent here, and clients fall back to polling GET /api/runs/:runId (docs/API.md).
 */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  try {
    const actor = await requireActor(request);
    const runId = parseIdParam((await params).runId, runNotFound);
    const service = getService();
    const run = await service.getRun(actor, runId); // 401/403/404 as JSON before the stream opens
    return createEventStreamResponse({
      signal: request.signal,
      start: (send) => {
        // Read the streamed text and subscribe in one synchronous step, so no token is missed or sent twice.
        const liveText = service.liveText(actor, runId);
        send("snapshot", {
          runId,
          status: run.status,
          iteration: run.iteration,
          headCheckpointId: run.headCheckpointId,
          isExecutingHere: liveText !== null,
          liveText,
        });
        return service.subscribe(actor, runId, (event) => send(event.type, event));
      },
    });
  } catch (error) {
    return jsonError(error, request);
  }
}
