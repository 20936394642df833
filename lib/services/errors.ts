import { isWorkflowError, type WorkflowErrorCode } from "@/lib/workflow";

export type ServiceErrorCode =
  | "VALIDATION_FAILED"
  | "BAD_REQUEST"
  | "RUN_NOT_FOUND"
  | "NOT_FOUND"
  | "REQUEST_SUPERSEDED"
  | "RUN_BUSY"
  | "FORBIDDEN_ORIGIN"
  | "LEASE_LOST"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "SELF_APPROVAL_FORBIDDEN"
  | "SETUP_DONE"
  | "EMAIL_TAKEN"
  | "INVITATION_INVALID"
  | "RATE_LIMITED"
  | "REVISION_LIMIT_REACHED"
  | "ALREADY_APPROVED"
  | "DRAFT_CHANGED";

/** Lets {@link isServiceError} recognise errors from another bundled copy of this module (see WorkflowError). */
const SERVICE_ERROR_BRAND = Symbol.for("draftgate.ServiceError");

/** A failure the services layer reports to people: a stable code, a clear message, optional field errors. */
export class ServiceError extends Error {
  override readonly name = "ServiceError";
  readonly code: ServiceErrorCode;
  readonly fieldErrors: Record<string, string[]> | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ServiceErrorCode, message: string, options: { fieldErrors?: Record<string, string[]>; details?: Record<string, unknown> } = {}) {
    super(message);
    this.code = code;
    this.fieldErrors = options.fieldErrors;
    this.details = options.details ?? {};
    Object.defineProperty(this, SERVICE_ERROR_BRAND, { value: true }); // non-enumerable: not in logs or equality
  }
}

/**
 * True for a {@link ServiceError} from any copy of this module: Next.js bundles instrumentation and each route
 * separately, and the process-wide service is created by instrumentation, so `instanceof` alone fails in routes.
 */
export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError || (typeof error === "object" && error !== null && SERVICE_ERROR_BRAND in error);
}

/** The error shape clients receive. */
export interface ErrorBody {
  error: { code: string; message: string; fieldErrors?: Record<string, string[]>; details?: Record<string, unknown> };
}

const statusByCode: Partial<Record<ServiceErrorCode | WorkflowErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  SELF_APPROVAL_FORBIDDEN: 403,
  FORBIDDEN_ORIGIN: 403,
  RUN_NOT_FOUND: 404,
  NOT_FOUND: 404,
  INVITATION_INVALID: 404,
  SETUP_DONE: 409,
  REVISION_LIMIT_REACHED: 409,
  ALREADY_APPROVED: 409,
  DRAFT_CHANGED: 409,
  RATE_LIMITED: 429,
  EMAIL_TAKEN: 409,
  REQUEST_NOT_FOUND: 404,
  CHECKPOINT_NOT_FOUND: 404,
  REQUEST_ALREADY_ANSWERED: 409,
  REQUEST_SUPERSEDED: 409,
  RUN_BUSY: 409,
  RUN_IN_PROGRESS: 409,
  VALIDATION_FAILED: 422,
  RESPONSE_INVALID: 422,
  CHECKPOINT_CORRUPT: 422,
  CHECKPOINT_INCOMPATIBLE: 422,
};

/**
 * Maps any error to an HTTP status and a body. Expected failures keep their code and message; anything
 * else becomes a generic 500 (the caller logs it) so stack traces and internals never reach clients.
 */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (isServiceError(error)) {
    return {
      status: statusByCode[error.code] ?? 400,
      body: { error: { code: error.code, message: error.message, ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}), ...(Object.keys(error.details).length ? { details: error.details } : {}) } },
    };
  }
  if (isWorkflowError(error) && statusByCode[error.code]) {
    const { answeredBy, answeredAt, requestId, checkpointId, runId } = error.details;
    const details = Object.fromEntries(Object.entries({ answeredBy, answeredAt, requestId, checkpointId, runId }).filter(([, value]) => value !== undefined));
    return { status: statusByCode[error.code] as number, body: { error: { code: error.code, message: error.message, ...(Object.keys(details).length ? { details } : {}) } } };
  }
  return { status: 500, body: { error: { code: "INTERNAL", message: "Something went wrong on our side. The error was logged; please try again." } } };
}

/** True for errors that are the client's fault or a conflict, i.e. not worth an error log. */
export function isExpectedError(error: unknown): boolean {
  return toErrorResponse(error).status < 500;
}
