/** Every failure the engine reports carries one of these codes. */
export const workflowErrorCodes = [
  "GRAPH_INVALID",
  "CONVERGENCE_LIMIT",
  "RUN_IN_PROGRESS",
  "MESSAGE_UNDELIVERABLE",
  "MESSAGE_INVALID",
  "STATE_INVALID",
  "CHECKPOINT_NOT_FOUND",
  "CHECKPOINT_CORRUPT",
  "CHECKPOINT_INCOMPATIBLE",
  "CHECKPOINT_WRITE_FAILED",
  "REQUEST_NOT_FOUND",
  "REQUEST_ALREADY_ANSWERED",
  "RESPONSE_INVALID",
  "MODEL_ERROR",
  "EXECUTOR_FAILED",
  "CANCELLED",
] as const;

export type WorkflowErrorCode = (typeof workflowErrorCodes)[number];

/** Details attached to a {@link WorkflowError}; all optional, all JSON. */
export interface WorkflowErrorDetails {
  executorId?: string;
  checkpointId?: string;
  requestId?: string;
  runId?: string;
  /** For REQUEST_ALREADY_ANSWERED: who answered first, and when (ISO time). */
  answeredBy?: string | null;
  answeredAt?: string;
  /** For CHECKPOINT_CORRUPT: the field that failed to decode. */
  field?: string;
  [key: string]: unknown;
}

/**
 * Marks WorkflowErrors so {@link isWorkflowError} also recognises one made by another copy of this module:
 * Next.js bundles `instrumentation.ts` and each route separately, so the process-wide service (created by
 * instrumentation) throws errors whose class is not the one a route handler imports, and `instanceof` fails.
 */
const WORKFLOW_ERROR_BRAND = Symbol.for("draftgate.WorkflowError");

/**
 * The one error type the engine throws. `code` is stable and meant for programs; `message` names the ids
 * involved and is meant for people.
 */
export class WorkflowError extends Error {
  override readonly name = "WorkflowError";
  readonly code: WorkflowErrorCode;
  readonly details: WorkflowErrorDetails;

  constructor(
    code: WorkflowErrorCode,
    message: string,
    details: WorkflowErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
    Object.defineProperty(this, WORKFLOW_ERROR_BRAND, { value: true }); // non-enumerable: not in logs or equality
  }
}

/** True when `error` is a {@link WorkflowError} (from any copy of this module), optionally with the given code. */
export function isWorkflowError(error: unknown, code?: WorkflowErrorCode): error is WorkflowError {
  const isOne =
    error instanceof WorkflowError || (typeof error === "object" && error !== null && WORKFLOW_ERROR_BRAND in error);
  return isOne && (code === undefined || (error as WorkflowError).code === code);
}

/** Wraps anything thrown by user code into a WorkflowError, keeping an existing code. */
export function toWorkflowError(
  error: unknown,
  fallback: WorkflowErrorCode,
  details: WorkflowErrorDetails = {},
): WorkflowError {
  if (isWorkflowError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WorkflowError(fallback, message, details, { cause: error });
}

/**
 * The error a second answer to a request gets: it names who answered first and when, so people (not only
 * programs) can tell what happened. Used by the engine, every store and the services layer alike.
 */
export function requestAlreadyAnsweredError(first: {
  requestId: string;
  runId?: string;
  answeredBy: string | null;
  answeredAt: string;
  baseCheckpointId?: string;
}): WorkflowError {
  const by = first.answeredBy ? ` by ${first.answeredBy}` : "";
  return new WorkflowError(
    "REQUEST_ALREADY_ANSWERED",
    `Request ${first.requestId} was already answered${by} at ${first.answeredAt}`,
    {
      requestId: first.requestId,
      ...(first.runId ? { runId: first.runId } : {}),
      ...(first.baseCheckpointId ? { checkpointId: first.baseCheckpointId } : {}),
      answeredBy: first.answeredBy,
      answeredAt: first.answeredAt,
    },
  );
}

/** What a store throws when asked to save a checkpoint id that exists: checkpoints are never overwritten. */
export function checkpointExistsError(record: { checkpointId: string; runId: string }): WorkflowError {
  return new WorkflowError(
    "CHECKPOINT_WRITE_FAILED",
    `Checkpoint ${record.checkpointId} already exists; checkpoints are never overwritten`,
    {
      checkpointId: record.checkpointId,
      runId: record.runId,
    },
  );
}
