import type { Checkpoint, PendingRequest } from "./checkpoint";
import type { FanInEdge } from "./edges";
import { setOwnProperty, type JsonValue } from "./json";
import type { QueuedMessage } from "./messages";

/**
 * A run's committed state between supersteps: the part of a checkpoint that changes as the run goes on, plus
 * the checkpoint it continues from. Treated as immutable: each superstep builds a new one.
 */
export type RunState = Pick<
  Checkpoint,
  | "runId"
  | "superstep"
  | "messages"
  | "sharedState"
  | "executorStates"
  | "fanInBuffers"
  | "pendingRequests"
  | "answeredRequests"
  | "outputs"
> & { lastCheckpointId: string | null };

/** Where a sent message goes: straight into next superstep's queue, or into a fan-in buffer. */
export type RoutedMessage =
  { kind: "direct"; message: QueuedMessage } | { kind: "fan-in"; edge: FanInEdge; message: QueuedMessage };

/** One executor's uncommitted writes in the current superstep. */
export class ExecutorWrites {
  state: { value: JsonValue } | undefined;
  readonly shared = new Map<string, JsonValue>();
  readonly sent: RoutedMessage[] = [];
  readonly outputs: JsonValue[] = [];
  readonly requests: PendingRequest[] = [];
}

/**
 * Commits a superstep's writes in executor order (the order executors first received messages), so the
 * result does not depend on which handler finished first. Completed fan-in groups become list messages.
 */
export function commitSuperstep(state: RunState, writes: ReadonlyMap<string, ExecutorWrites>): RunState {
  const executorStates = { ...state.executorStates };
  const sharedState = { ...state.sharedState };
  const fanInBuffers = { ...state.fanInBuffers };
  const messages: QueuedMessage[] = [];
  const outputs = [...state.outputs];
  const pendingRequests = [...state.pendingRequests];
  const touchedGroups = new Map<string, FanInEdge>();

  for (const [executorId, executorWrites] of writes) {
    if (executorWrites.state) executorStates[executorId] = executorWrites.state.value;
    for (const [key, value] of executorWrites.shared) setOwnProperty(sharedState, key, value);
    for (const routed of executorWrites.sent) {
      if (routed.kind === "direct") {
        messages.push(routed.message);
        continue;
      }
      const buffer = { ...(fanInBuffers[routed.edge.id] ?? {}) };
      buffer[routed.message.sourceId] = [...(buffer[routed.message.sourceId] ?? []), routed.message];
      fanInBuffers[routed.edge.id] = buffer;
      touchedGroups.set(routed.edge.id, routed.edge);
    }
    for (const data of executorWrites.outputs) outputs.push({ sourceExecutorId: executorId, data });
    pendingRequests.push(...executorWrites.requests);
  }

  for (const [groupId, edge] of touchedGroups) {
    const buffer = fanInBuffers[groupId] ?? {};
    if (!edge.sources.every((source) => (buffer[source]?.length ?? 0) > 0)) continue;
    const values = edge.sources.flatMap((source) => (buffer[source] ?? []).map((message) => message.value));
    messages.push({
      sourceId: groupId,
      targetId: edge.target,
      type: `${edge.elementType.name}[]`,
      value: Object.freeze(values) as JsonValue[],
    });
    delete fanInBuffers[groupId];
  }

  return {
    ...state,
    superstep: state.superstep + 1,
    messages,
    sharedState,
    executorStates,
    fanInBuffers,
    outputs,
    pendingRequests,
  };
}
