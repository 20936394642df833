import { randomUUID } from "node:crypto";
import type { WorkflowContext } from "./context";
import type { Edge } from "./edges";
import { toWorkflowError, WorkflowError } from "./errors";
import type { WorkflowEvent } from "./events";
import type { Executor } from "./executor";
import { freezeJson, type JsonValue } from "./json";
import { toTypedMessage, type QueuedMessage, type SendableMessage } from "./messages";
import { commitSuperstep, ExecutorWrites, type RoutedMessage, type RunState } from "./state";
import { isoNow } from "./time";

/** The parts of a workflow definition the superstep loop needs. */
export interface RunnerGraph {
  executors: ReadonlyMap<string, Executor>;
  edges: readonly Edge[];
}

export type Emit = (event: WorkflowEvent) => void;

/**
 * Routes a message sent by `sourceId` along its outgoing edges to every target that handles its type and
 * whose condition holds (narrowed to `targetId` when given). Throws MESSAGE_UNDELIVERABLE when none can.
 */
export function routeMessage(graph: RunnerGraph, sourceId: string, sendable: SendableMessage, targetId?: string): RoutedMessage[] {
  const typed = toTypedMessage(sendable);
  const checked = typed.type.schema.safeParse(typed.value);
  if (!checked.success) {
    throw new WorkflowError("MESSAGE_INVALID", `${sourceId} sent a "${typed.type.name}" that does not match its schema: ${checked.error.issues[0]?.message ?? ""}`, { executorId: sourceId });
  }
  // The original value is kept (not zod's copy) so unchanged parts stay shared between checkpoints.
  const value = freezeJson(typed.value as JsonValue, `message "${typed.type.name}" from ${sourceId}`);
  const routed: RoutedMessage[] = [];
  for (const edge of graph.edges) {
    if (targetId !== undefined && edge.target !== targetId) continue;
    const message: QueuedMessage = { sourceId, targetId: edge.target, type: typed.type.name, value };
    if (edge.kind === "direct") {
      if (edge.source !== sourceId || !graph.executors.get(edge.target)?.handles(typed.type.name)) continue;
      if (edge.condition && !edge.condition.when({ type: typed.type.name, value })) continue;
      routed.push({ kind: "direct", message });
    } else if (edge.sources.includes(sourceId) && edge.elementType.name === typed.type.name) {
      routed.push({ kind: "fan-in", edge, message });
    }
  }
  if (routed.length === 0) {
    const where = targetId ? ` to "${targetId}"` : "";
    throw new WorkflowError("MESSAGE_UNDELIVERABLE", `No edge from "${sourceId}" delivers a "${typed.type.name}" message${where}`, { executorId: sourceId });
  }
  return routed;
}

/**
 * Runs one superstep: delivers the queued messages (executors concurrently, each executor's messages in
 * order), then commits every executor's staged writes. On a handler failure nothing is committed and the
 * error is thrown after the other executors of the superstep have finished.
 */
export async function runSuperstep(graph: RunnerGraph, state: RunState, emit: Emit, signal: AbortSignal): Promise<RunState> {
  const superstep = state.superstep + 1;
  const inbox = new Map<string, QueuedMessage[]>();
  for (const message of state.messages) {
    const list = inbox.get(message.targetId) ?? [];
    list.push(message);
    inbox.set(message.targetId, list);
  }
  const writes = new Map<string, ExecutorWrites>();
  for (const executorId of inbox.keys()) writes.set(executorId, new ExecutorWrites());

  const results = await Promise.allSettled(
    [...inbox].map(async ([executorId, messages]) => {
      const executor = graph.executors.get(executorId);
      const executorWrites = writes.get(executorId) as ExecutorWrites;
      for (const message of messages) {
        const handler = executor?.handlerFor(message.type);
        emit({ type: "ExecutorInvoked", runId: state.runId, executorId, messageType: message.type });
        try {
          if (!handler) throw new WorkflowError("MESSAGE_UNDELIVERABLE", `Executor "${executorId}" has no handler for "${message.type}"`, { executorId });
          await handler.handle(message.value, createContext(graph, state, superstep, executorId, message.sourceId, executorWrites, emit, signal));
        } catch (error) {
          const failure = toWorkflowError(error, "EXECUTOR_FAILED", { executorId });
          if (failure.details.executorId === undefined) failure.details.executorId = executorId;
          emit({ type: "ExecutorFailed", runId: state.runId, executorId, error: { code: failure.code, message: failure.message } });
          throw failure;
        }
        emit({ type: "ExecutorCompleted", runId: state.runId, executorId });
      }
    }),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
  return commitSuperstep(state, writes);
}

function createContext(
  graph: RunnerGraph,
  state: RunState,
  superstep: number,
  executorId: string,
  sourceExecutorId: string,
  writes: ExecutorWrites,
  emit: Emit,
  signal: AbortSignal,
): WorkflowContext {
  const runId = state.runId;
  return {
    runId,
    executorId,
    sourceExecutorId,
    superstep,
    signal,
    sendMessage(message, options) {
      writes.sent.push(...routeMessage(graph, executorId, message, options?.targetId));
    },
    yieldOutput(data) {
      const value = freezeJson(data as JsonValue, `output of ${executorId}`);
      writes.outputs.push(value);
      emit({ type: "WorkflowOutput", runId, data: value, sourceExecutorId: executorId });
    },
    getState<T>() {
      return (writes.state ? writes.state.value : state.executorStates[executorId]) as T | undefined;
    },
    setState(value) {
      writes.state = { value: freezeJson(value as JsonValue, `state of executor ${executorId}`) };
    },
    getSharedState<T>(key: string) {
      return (writes.shared.has(key) ? writes.shared.get(key) : state.sharedState[key]) as T | undefined;
    },
    setSharedState(key, value) {
      writes.shared.set(key, freezeJson(value as JsonValue, `shared state "${key}" written by ${executorId}`));
    },
    requestInfo(type, payload) {
      const requestId = randomUUID();
      const frozen = freezeJson(payload, `request from ${sourceExecutorId}`);
      writes.requests.push({ requestId, sourceExecutorId, requestExecutorId: executorId, type: type.name, payload: frozen, createdAt: isoNow() });
      emit({ type: "RequestInfo", runId, requestId, sourceExecutorId, requestType: type.name, data: frozen });
      return requestId;
    },
    emitAgentRunUpdate(textDelta, attempt) {
      emit({ type: "AgentRunUpdate", runId, executorId, textDelta, ...(attempt && attempt > 1 ? { attempt } : {}) });
    },
  };
}
