import type { JsonValue } from "./json";
import type { MessageType, SendableMessage } from "./messages";

/**
 * What a handler receives. Writes are staged: an executor sees its own writes at once, other executors
 * from the next superstep on. Values must be JSON; they are frozen when written (copy before changing).
 */
export interface WorkflowContext {
  readonly runId: string;
  readonly executorId: string;
  /** The executor that sent the message being handled (`"$input"` for the run's input). */
  readonly sourceExecutorId: string;
  readonly superstep: number;
  /** Aborted when the call is cancelled; pass it to I/O such as model calls. */
  readonly signal: AbortSignal;

  /** Sends along this executor's outgoing edges, delivered next superstep. Throws MESSAGE_UNDELIVERABLE when no edge can take it. */
  sendMessage(message: SendableMessage, options?: { targetId?: string }): void;
  /** Yields an output (announced as `WorkflowOutput` when the superstep commits); does not end the run. */
  yieldOutput(data: unknown): void;
  getState<T = JsonValue>(): T | undefined;
  /** Throws STATE_INVALID (naming executor) when `value` is not JSON. */
  setState(value: unknown): void;
  getSharedState<T = JsonValue>(key: string): T | undefined;
  /** Throws STATE_INVALID (naming executor and key) when `value` is not JSON. */
  setSharedState(key: string, value: unknown): void;
  /** For `RequestInfoExecutor`: records a pending request (announced as `RequestInfo` when the superstep commits). Returns its id. */
  requestInfo(type: MessageType, payload: JsonValue): string;
  /** For `AgentExecutor`: streams a text delta as an `AgentRunUpdate` event. */
  emitAgentRunUpdate(textDelta: string, attempt?: number): void;
}

/** The source id of the run's input message. */
export const INPUT_SOURCE_ID = "$input";
