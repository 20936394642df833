import { isWorkflowError, type WorkflowErrorCode } from "@/lib/workflow";

export type ServiceErrorCode =
  | "VALIDATION_FAILED"
  | "RUN_NOT_FOUND"
  | "NOT_FOUND"
  | "REQUEST_SUPERSEDED"
  | "RUN_BUSY"
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

  constructor(
    code: ServiceErrorCode,
    message: string,
    options: { fieldErrors?: Record<string, string[]>; details?: Record<string, unknown> } = {},
  ) {
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

/** The engine's failures that are the caller's doing (a wrong id, a stale answer, a bad checkpoint), not ours. */
const EXPECTED_WORKFLOW_ERROR_CODES = [
  "REQUEST_NOT_FOUND",
  "CHECKPOINT_NOT_FOUND",
  "REQUEST_ALREADY_ANSWERED",
  "RUN_IN_PROGRESS",
  "RESPONSE_INVALID",
  "CHECKPOINT_CORRUPT",
  "CHECKPOINT_INCOMPATIBLE",
] as const satisfies readonly WorkflowErrorCode[];
export type ExpectedWorkflowErrorCode = (typeof EXPECTED_WORKFLOW_ERROR_CODES)[number];

/** True for errors that are the client's fault or a conflict, i.e. not worth an error log. */
export function isExpectedError(error: unknown): boolean {
  return (
    isServiceError(error) ||
    (isWorkflowError(error) && (EXPECTED_WORKFLOW_ERROR_CODES as readonly string[]).includes(error.code))
  );
}
