import { randomUUID } from "node:crypto";
import type { ChatFailureKind } from "./chat-client";
import type { WorkflowContext } from "./context";
import type { Edge } from "./edges";
import { toWorkflowError, WorkflowError } from "./errors";
import type { WorkflowRunState, WorkflowEvent } from "./events";
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

export interface SuperstepLoopOptions {
  maxIterations: number;
  emit: Emit;
  /** Cancels between supersteps; nothing is saved once it is aborted. */
  signal: AbortSignal;
  /** Makes a committed state durable (a checkpoint) and returns it with its checkpoint id. */
  save: (state: RunState) => Promise<RunState>;
}

/**
 * The superstep loop (SPEC §2): deliver, run, commit, checkpoint, until nothing is queued. Ends the call as
 * IDLE (with or without pending requests), FAILED (a handler, the convergence limit, a checkpoint write; the
 * last checkpoint stays resumable) or CANCELLED. Returns the last durable state.
 */
export async function runSuperstepsUntilIdle(
  graph: RunnerGraph,
  start: RunState,
  options: SuperstepLoopOptions,
): Promise<RunState> {
  const { emit, signal, maxIterations } = options;
  let state = start;
  let status: WorkflowRunState = "IN_PROGRESS";
  try {
    for (let supersteps = 0; state.messages.length > 0; supersteps++) {
      if (signal.aborted) return cancelRun(state, emit);
      if (supersteps >= maxIterations) {
        throw new WorkflowError(
          "CONVERGENCE_LIMIT",
          `Run ${state.runId} did not converge within ${maxIterations} supersteps`,
          { runId: state.runId },
        );
      }
      emit({ type: "SuperstepStarted", runId: state.runId, superstep: state.superstep + 1 });
      const next = await runSuperstep(graph, state, emit, signal);
      emit({ type: "SuperstepCompleted", runId: state.runId, superstep: next.superstep });
      // a cancelled call (a lost lease, a shutdown) must not write: another process may own the run by now
      if (signal.aborted) return cancelRun(state, emit);
      state = await options.save(next);
      if (state.pendingRequests.length > 0 && state.messages.length > 0 && status !== "IN_PROGRESS_PENDING_REQUESTS") {
        status = "IN_PROGRESS_PENDING_REQUESTS";
        emit({ type: "WorkflowStatus", runId: state.runId, state: status });
      }
    }
  } catch (error) {
    if (signal.aborted) return cancelRun(state, emit);
    failRun(state, toWorkflowError(error, "EXECUTOR_FAILED"), emit);
    return state;
  }
  emit({
    type: "WorkflowStatus",
    runId: state.runId,
    state: state.pendingRequests.length > 0 ? "IDLE_WITH_PENDING_REQUESTS" : "IDLE",
  });
  return state;
}

/** Ends a call with `WorkflowFailed` and status FAILED (CANCELLED for a cancellation). */
export function failRun(state: Pick<RunState, "runId">, error: WorkflowError, emit: Emit): void {
  const executorId = typeof error.details.executorId === "string" ? error.details.executorId : undefined;
  const modelFailure =
    typeof error.details.modelFailure === "string" ? (error.details.modelFailure as ChatFailureKind) : undefined;
  emit({
    type: "WorkflowFailed",
    runId: state.runId,
    code: error.code,
    message: error.message,
    ...(executorId ? { executorId } : {}),
    ...(modelFailure ? { modelFailure } : {}),
  });
  emit({ type: "WorkflowStatus", runId: state.runId, state: error.code === "CANCELLED" ? "CANCELLED" : "FAILED" });
}

function cancelRun(state: RunState, emit: Emit): RunState {
  emit({ type: "WorkflowStatus", runId: state.runId, state: "CANCELLED" });
  return state;
}

/**
 * Routes a message sent by `sourceId` along its outgoing edges to every target that handles its type and
 * whose condition holds (narrowed to `targetId` when given). Throws MESSAGE_UNDELIVERABLE when none can.
 */
export function routeMessage(
  graph: RunnerGraph,
  sourceId: string,
  sendable: SendableMessage,
  targetId?: string,
): RoutedMessage[] {
  const typed = toTypedMessage(sendable);
  const checked = typed.type.schema.safeParse(typed.value);
  if (!checked.success) {
    throw new WorkflowError(
      "MESSAGE_INVALID",
      `${sourceId} sent a "${typed.type.name}" that does not match its schema: ${checked.error.issues[0]?.message ?? ""}`,
      { executorId: sourceId },
    );
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
    throw new WorkflowError(
      "MESSAGE_UNDELIVERABLE",
      `No edge from "${sourceId}" delivers a "${typed.type.name}" message${where}`,
      { executorId: sourceId },
    );
  }
  return routed;
}

/**
 * Runs one superstep: delivers the queued messages (executors concurrently, each executor's messages in
 * order), then commits every executor's staged writes. On a handler failure nothing is committed and the
 * error is thrown after the other executors of the superstep have finished.
 */
export async function runSuperstep(
  graph: RunnerGraph,
  state: RunState,
  emit: Emit,
  signal: AbortSignal,
): Promise<RunState> {
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
          if (!handler)
            throw new WorkflowError(
              "MESSAGE_UNDELIVERABLE",
              `Executor "${executorId}" has no handler for "${message.type}"`,
              { executorId },
            );
          await handler.handle(
            message.value,
            createContext(graph, state, superstep, executorId, message.sourceId, executorWrites, emit, signal),
          );
        } catch (error) {
          const failure = toWorkflowError(error, "EXECUTOR_FAILED", { executorId });
          if (failure.details.executorId === undefined) failure.details.executorId = executorId;
          emit({
            type: "ExecutorFailed",
            runId: state.runId,
            executorId,
            error: { code: failure.code, message: failure.message },
          });
          throw failure;
        }
        emit({ type: "ExecutorCompleted", runId: state.runId, executorId });
      }
    }),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
  // Outputs and requests are announced once committed, in commit order: a superstep that fails announces none.
  for (const [executorId, executorWrites] of writes) {
    for (const data of executorWrites.outputs)
      emit({ type: "WorkflowOutput", runId: state.runId, data, sourceExecutorId: executorId });
    for (const request of executorWrites.requests) {
      emit({
        type: "RequestInfo",
        runId: state.runId,
        requestId: request.requestId,
        sourceExecutorId: request.sourceExecutorId,
        requestType: request.type,
        data: request.payload,
      });
    }
  }
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
      writes.outputs.push(freezeJson(data as JsonValue, `output of ${executorId}`));
    },
    getState<T>() {
      return (writes.state ? writes.state.value : state.executorStates[executorId]) as T | undefined;
    },
    setState(value) {
      writes.state = { value: freezeJson(value as JsonValue, `state of executor ${executorId}`) };
    },
    getSharedState<T>(key: string) {
      return (
        writes.shared.has(key)
          ? writes.shared.get(key)
          : Object.hasOwn(state.sharedState, key)
            ? state.sharedState[key]
            : undefined
      ) as T | undefined;
    },
    setSharedState(key, value) {
      writes.shared.set(key, freezeJson(value as JsonValue, `shared state "${key}" written by ${executorId}`));
    },
    requestInfo(type, payload) {
      const requestId = randomUUID();
      const frozen = freezeJson(payload, `request from ${sourceExecutorId}`);
      writes.requests.push({
        requestId,
        sourceExecutorId,
        requestExecutorId: executorId,
        type: type.name,
        payload: frozen,
        createdAt: isoNow(),
      });
      return requestId;
    },
    emitAgentRunUpdate(textDelta, attempt) {
      emit({ type: "AgentRunUpdate", runId, executorId, textDelta, ...(attempt && attempt > 1 ? { attempt } : {}) });
    },
  };
}
