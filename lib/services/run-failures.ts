import { isWorkflowError, type ChatFailureKind, type WorkflowEvent } from "@/lib/workflow";
import { isServiceError } from "./errors";

/** How a failed run is recorded: a code, words for everyone who may act on it, and the raw detail for admins. */
export interface RunFailure {
  code: string;
  message: string;
  /** The provider's or engine's own message (may name addresses or internals): admins and the log only. */
  detail: string | null;
}

const MODEL_FAILURES: Record<ChatFailureKind, string> = {
  rate_limited: "The model provider refused the request: rate limited. Retry in a little while.",
  unreachable: "The model server could not be reached.",
  timeout: "The model server did not answer in time.",
  server_error: "The model server had an internal error.",
  refused: "The model provider refused the request.",
  auth: "The model provider did not accept Draftgate's credentials.",
  cut_off: "The draft was cut off at the model's length limit, so it was not kept.",
  filtered: "The provider's content filter stopped the draft.",
  broken_stream: "The model's reply broke off before it was complete.",
  config: "The model settings of this server are not usable.",
};

/** A failure as the engine reported it (a `WorkflowFailed` event) or as thrown, turned into a {@link RunFailure}. */
export function describeRunFailure(failure: Extract<WorkflowEvent, { type: "WorkflowFailed" }> | unknown): RunFailure {
  if (isFailedEvent(failure)) {
    if (failure.code === "MODEL_ERROR") {
      return {
        code: failure.code,
        message: failure.modelFailure ? MODEL_FAILURES[failure.modelFailure] : "The model call failed.",
        detail: failure.message,
      };
    }
    return { code: failure.code, message: failure.message, detail: null };
  }
  if (isWorkflowError(failure) || isServiceError(failure))
    return { code: failure.code, message: failure.message, detail: null };
  return {
    code: "INTERNAL",
    message: "The run stopped unexpectedly; retry from the last checkpoint.",
    detail: failure instanceof Error ? failure.message : null,
  };
}

function isFailedEvent(value: unknown): value is Extract<WorkflowEvent, { type: "WorkflowFailed" }> {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "WorkflowFailed";
}
