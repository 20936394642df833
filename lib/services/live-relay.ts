import { z } from "zod";
import type { LiveEventChannel } from "@/db/store";
import type { RunEvent } from "./dto";
import { RunEventLog } from "./run-event-log";

/**
 * How processes hear each other's live run events: the store's channel (PostgreSQL LISTEN/NOTIFY, `PgEventBus`), as
 * far as the relay uses it; whoever made the channel closes it.
 */
export type EventTransport = Pick<LiveEventChannel, "publish" | "subscribe">;

/** A run's live state as this process mirrors it from the process executing it. */
export interface MirroredExecution {
  events: RunEventLog;
  liveText: string;
  liveAttempt: number;
}

const relayedEventSchema = z.object({
  runId: z.string(),
  /** `<executionId>.<seq>`, the executing process's id for the event. */
  eventId: z.string().regex(/^[\w-]+\.\d{1,15}$/),
  event: z.looseObject({ type: z.string() }),
});

/** An event after which the execution does no more: its mirror is dropped (the database has the rest). */
function endsExecution(event: RunEvent): boolean {
  return (
    event.type === "WorkflowFailed" ||
    (event.type === "WorkflowStatus" && event.state !== "IN_PROGRESS" && event.state !== "IN_PROGRESS_PENDING_REQUESTS")
  );
}

/** A mirror nobody fed for this long is dropped (its process died or the message saying so was missed). */
const MIRROR_IDLE_MS = 10 * 60_000;

/**
 * Relays live run events between processes: the executing process publishes each event it logs; every other
 * process keeps a mirror of each run's recent events (same ids) and live text, so a browser connected to a web
 * instance that does not execute the run sees the tokens as they stream and resumes from its last event id.
 */
export class LiveRelay {
  private readonly mirrors = new Map<string, MirroredExecution & { touchedAt: number }>();
  private sweptAt = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly transport: EventTransport,
    private readonly options: {
      /** Executions of this process: their own events come back over the transport and are not mirrored. */
      isLocal: (runId: string) => boolean;
      /** Called with each mirrored event, after the mirror took it in. */
      onEvent: (runId: string, event: RunEvent, eventId: string) => void;
      /** Called after messages were missed and the mirrors dropped: subscribers should start over. */
      onGap: () => void;
      onError: (error: unknown, context: Record<string, unknown>) => void;
      now?: () => number;
    },
  ) {
    // after missed messages the mirrors may lack events: their clients start over from snapshots
    this.unsubscribe = transport.subscribe(
      (message) => this.receive(message),
      () => {
        this.mirrors.clear();
        options.onGap();
      },
    );
  }

  /** Sends an event of an execution of this process to the others. */
  publish(runId: string, event: RunEvent, eventId: string): void {
    this.transport
      .publish(JSON.stringify({ runId, eventId, event }))
      .catch((error: unknown) => this.options.onError(error, { runId, during: "relay publish" }));
  }

  mirrorOf(runId: string): MirroredExecution | undefined {
    return this.mirrors.get(runId);
  }

  close(): void {
    this.unsubscribe();
    this.mirrors.clear();
  }

  private receive(message: string): void {
    let parsed: z.infer<typeof relayedEventSchema>;
    try {
      parsed = relayedEventSchema.parse(JSON.parse(message));
    } catch (error) {
      return this.options.onError(error, { during: "relay receive" });
    }
    const { runId, eventId } = parsed;
    const event = parsed.event as unknown as RunEvent;
    if (this.options.isLocal(runId)) return;
    const now = (this.options.now ?? Date.now)();
    this.dropIdle(now);
    const dot = eventId.lastIndexOf(".");
    const executionId = eventId.slice(0, dot);
    const seq = Number(eventId.slice(dot + 1));
    let mirror = this.mirrors.get(runId);
    if (!mirror || mirror.events.executionId !== executionId) {
      // another execution of the run (a takeover, a resume): its ids start over
      mirror = { events: new RunEventLog({ executionId }), liveText: "", liveAttempt: 1, touchedAt: now };
      this.mirrors.set(runId, mirror);
    }
    if (seq <= Number(mirror.events.lastId.slice(executionId.length + 1))) return; // already heard
    mirror.touchedAt = now;
    trackLiveText(mirror, event);
    mirror.events.appendAt(seq, event);
    if (endsExecution(event)) this.mirrors.delete(runId);
    this.options.onEvent(runId, event, eventId);
  }

  /** Drops mirrors nobody fed for a while; at most once a minute, not on every token. */
  private dropIdle(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [runId, mirror] of this.mirrors) if (now - mirror.touchedAt > MIRROR_IDLE_MS) this.mirrors.delete(runId);
  }
}

/** The text the writer has streamed in the current superstep (a retried model call starts it over). */
export function trackLiveText(execution: { liveText: string; liveAttempt: number }, event: RunEvent): void {
  if (event.type === "SuperstepStarted") execution.liveText = "";
  if (event.type !== "AgentRunUpdate") return;
  const attempt = event.attempt ?? 1;
  if (attempt !== execution.liveAttempt) execution.liveText = "";
  execution.liveAttempt = attempt;
  execution.liveText += event.textDelta;
}
