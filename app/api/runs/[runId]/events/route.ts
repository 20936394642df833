// GET /api/runs/:runId/events — Server-Sent Events: a `snapshot` (or the events after `Last-Event-ID`), then the run's engine events as they happen.
import { getEnv } from "@/lib/env";
import {
  createEventStreamResponse,
  jsonError,
  lastEventIdOf,
  parseIdParam,
  processStreamSlots,
  requireActor,
  runNotFound,
} from "@/lib/http";
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
    const env = getEnv();
    const slots = processStreamSlots({
      perUser: env.SSE_MAX_STREAMS_PER_USER,
      perRun: env.SSE_MAX_STREAMS_PER_RUN,
      maxLifetimeMs: env.SSE_MAX_LIFETIME_MS,
    });
    const releaseSlot = slots.acquire(actor.userId ?? actor.name, runId); // 429 as JSON before the stream opens, too
    return createEventStreamResponse({
      signal: request.signal,
      maxLifetimeMs: env.SSE_MAX_LIFETIME_MS,
      maxBufferedBytes: env.SSE_MAX_BUFFERED_BYTES,
      onClose: releaseSlot,
      // Catch up and subscribe in one synchronous step, so no event is missed or sent twice: the events after
      // the client's last id if this process still holds them, else a snapshot of the live state.
      start: (send, end) =>
        service.subscribe(actor, runId, (event, eventId) => send(event.type, event, eventId), {
          afterEventId: lastEventIdOf(request),
          // events relayed from the executing worker may have been lost: end, and the browser reconnects for a snapshot
          onGap: () => end("stale"),
          onSnapshot: (live) =>
            send(
              "snapshot",
              {
                runId,
                status: run.status,
                iteration: run.iteration,
                headCheckpointId: run.headCheckpointId,
                isExecutingHere: live.liveText !== null,
                liveText: live.liveText,
                liveAttempt: live.liveAttempt,
              },
              // "0" is nobody's id: a reconnect after a snapshot of a run not executing here gets a snapshot again
              live.eventId ?? "0",
            ),
        }),
    });
  } catch (error) {
    return jsonError(error, request);
  }
}
