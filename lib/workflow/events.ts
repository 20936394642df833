import type { JsonValue } from "./json";
import type { CheckpointKind } from "./checkpoint";
import type { ChatFailureKind } from "./chat-client";
import type { WorkflowErrorCode } from "./errors";

/** SPEC §6 run states. */
export type WorkflowRunState =
  "IN_PROGRESS" | "IN_PROGRESS_PENDING_REQUESTS" | "IDLE" | "IDLE_WITH_PENDING_REQUESTS" | "FAILED" | "CANCELLED";

/** A human (or outside) request, as emitted and as listed by results. */
export interface RequestInfo {
  requestId: string;
  sourceExecutorId: string;
  requestType: string;
  data: JsonValue;
}

/** Every event a run streams, in order. All are plain JSON, so they can cross HTTP as they are. */
export type WorkflowEvent = { runId: string } & (
  | { type: "WorkflowStarted" }
  | { type: "WorkflowStatus"; state: WorkflowRunState }
  | { type: "SuperstepStarted"; superstep: number }
  | { type: "SuperstepCompleted"; superstep: number }
  | { type: "ExecutorInvoked"; executorId: string; messageType: string }
  | { type: "ExecutorCompleted"; executorId: string }
  | { type: "ExecutorFailed"; executorId: string; error: { code: WorkflowErrorCode; message: string } }
  | { type: "WorkflowOutput"; data: JsonValue; sourceExecutorId: string }
  | ({ type: "RequestInfo" } & RequestInfo)
  /** `attempt` is set from the second attempt on: the text of a failed attempt is to be discarded. */
  | { type: "AgentRunUpdate"; executorId: string; textDelta: string; attempt?: number }
  | { type: "CheckpointSaved"; checkpointId: string; superstep: number; kind: CheckpointKind }
  /** `modelFailure` says what went wrong with a model call (MODEL_ERROR), in terms people can act on. */
  | {
      type: "WorkflowFailed";
      code: WorkflowErrorCode;
      message: string;
      executorId?: string;
      modelFailure?: ChatFailureKind;
    }
);

/** The `type` discriminator of {@link WorkflowEvent}. */
export type WorkflowEventType = WorkflowEvent["type"];

/** What `run`, `sendResponses` and `resume` return: the collected events and what they add up to. */
export interface RunResult {
  runId: string;
  status: WorkflowRunState;
  /** Outputs yielded during this call. */
  outputs: JsonValue[];
  /** Requests still pending at the end of the call. */
  pendingRequests: RequestInfo[];
  events: WorkflowEvent[];
  /** The newest checkpoint written (or resumed from), when checkpointing is on. */
  lastCheckpointId: string | null;
  /** Set when status is FAILED. */
  error?: { code: WorkflowErrorCode; message: string; executorId?: string };
}

/** Collects a stream of events into a {@link RunResult}. */
export async function collectRunResult(stream: AsyncIterable<WorkflowEvent>): Promise<RunResult> {
  const events: WorkflowEvent[] = [];
  for await (const event of stream) events.push(event);
  return summarizeEvents(events);
}

/** Derives a {@link RunResult} from a finished call's events. */
export function summarizeEvents(events: WorkflowEvent[]): RunResult {
  let runId = "";
  let status: WorkflowRunState = "IDLE";
  let lastCheckpointId: string | null = null;
  let error: RunResult["error"];
  const outputs: JsonValue[] = [];
  const pending = new Map<string, RequestInfo>();
  for (const event of events) {
    runId = event.runId;
    switch (event.type) {
      case "WorkflowStatus":
        status = event.state;
        break;
      case "WorkflowOutput":
        outputs.push(event.data);
        break;
      case "RequestInfo":
        pending.set(event.requestId, {
          requestId: event.requestId,
          sourceExecutorId: event.sourceExecutorId,
          requestType: event.requestType,
          data: event.data,
        });
        break;
      case "CheckpointSaved":
        lastCheckpointId = event.checkpointId;
        break;
      case "WorkflowFailed":
        error = {
          code: event.code,
          message: event.message,
          ...(event.executorId ? { executorId: event.executorId } : {}),
        };
        break;
    }
  }
  return {
    runId,
    status,
    outputs,
    pendingRequests: [...pending.values()],
    events,
    lastCheckpointId,
    ...(error ? { error } : {}),
  };
}
