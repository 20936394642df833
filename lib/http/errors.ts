import { isServiceError, type ExpectedWorkflowErrorCode, type ServiceErrorCode } from "@/lib/services";
import { isWorkflowError } from "@/lib/workflow";

/** Failures of the transport itself, before any use case runs: an unreadable body, a cross-site cookie request. */
export type HttpErrorCode = "BAD_REQUEST" | "FORBIDDEN_ORIGIN";

export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly code: HttpErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The error shape clients receive. */
export interface ErrorBody {
  error: { code: string; message: string; fieldErrors?: Record<string, string[]>; details?: Record<string, unknown> };
}

/** Every code a client can be told, with its status: a code added anywhere without a status here fails to compile. */
const statusByCode: Record<ServiceErrorCode | ExpectedWorkflowErrorCode | HttpErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  SELF_APPROVAL_FORBIDDEN: 403,
  FORBIDDEN_ORIGIN: 403,
  RUN_NOT_FOUND: 404,
  NOT_FOUND: 404,
  INVITATION_INVALID: 404,
  REQUEST_NOT_FOUND: 404,
  CHECKPOINT_NOT_FOUND: 404,
  SETUP_DONE: 409,
  EMAIL_TAKEN: 409,
  REVISION_LIMIT_REACHED: 409,
  ALREADY_APPROVED: 409,
  DRAFT_CHANGED: 409,
  REQUEST_ALREADY_ANSWERED: 409,
  REQUEST_SUPERSEDED: 409,
  RUN_BUSY: 409,
  RUN_IN_PROGRESS: 409,
  LEASE_LOST: 409,
  VALIDATION_FAILED: 422,
  RESPONSE_INVALID: 422,
  CHECKPOINT_CORRUPT: 422,
  CHECKPOINT_INCOMPATIBLE: 422,
  RATE_LIMITED: 429,
};

const INTERNAL: ErrorBody = {
  error: { code: "INTERNAL", message: "Something went wrong on our side. The error was logged; please try again." },
};

/**
 * Maps any error to an HTTP status and a body. Expected failures keep their code and message; anything
 * else becomes a generic 500 (the caller logs it) so stack traces and internals never reach clients.
 */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HttpError)
    return { status: statusByCode[error.code], body: { error: { code: error.code, message: error.message } } };
  if (isServiceError(error)) {
    const { code, message, fieldErrors, details } = error;
    return {
      status: statusByCode[code],
      body: {
        error: {
          code,
          message,
          ...(fieldErrors ? { fieldErrors } : {}),
          ...(Object.keys(details).length ? { details } : {}),
        },
      },
    };
  }
  if (isWorkflowError(error) && error.code in statusByCode) {
    const { answeredBy, answeredAt, requestId, checkpointId, runId } = error.details;
    const details = Object.fromEntries(
      Object.entries({ answeredBy, answeredAt, requestId, checkpointId, runId }).filter(
        ([, value]) => value !== undefined,
      ),
    );
    return {
      status: statusByCode[error.code as ExpectedWorkflowErrorCode],
      body: {
        error: { code: error.code, message: error.message, ...(Object.keys(details).length ? { details } : {}) },
      },
    };
  }
  return { status: 500, body: INTERNAL };
}
