import { isEnvError } from "@/lib/env";
import { isWorkflowError, WorkflowError } from "@/lib/workflow";
import { toErrorResponse } from "@/lib/http/errors";
import { isServiceError } from "@/lib/services";
import { ExitCode, type ExitCodeValue } from "./exit-codes";
import { oneLine } from "./format";

/** A failure the CLI detects itself (a malformed option, a request that is not pending); always "refused". */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly code: string;
  /** Put in the `--json` error document (e.g. `fieldErrors` by option). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** Raised where the CLI was waiting (a prompt, a run executing) when the user pressed Ctrl-C. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  readonly code = "INTERRUPTED";

  constructor() {
    super("Interrupted");
  }
}

export function isInterruptedError(error: unknown): error is InterruptedError {
  return error instanceof InterruptedError;
}

export interface DescribedError {
  code: string;
  message: string;
  exitCode: ExitCodeValue;
  details?: Record<string, unknown>;
}

/**
 * Turns any error into what the CLI prints: a code, a one-line message and an exit code. Expected failures
 * (the services layer's 4xx codes) are "refused"; everything else is an error. Never a stack trace.
 */
export function describeError(error: unknown): DescribedError {
  if (error instanceof CliError)
    return {
      code: error.code,
      message: oneLine(error.message),
      exitCode: ExitCode.refused,
      ...(error.details ? { details: error.details } : {}),
    };
  if (isInterruptedError(error)) return { code: error.code, message: "Interrupted.", exitCode: ExitCode.interrupted };
  if (isEnvError(error)) return { code: error.code, message: oneLine(error.message), exitCode: ExitCode.error };
  if (isServiceError(error) || isWorkflowError(error)) {
    const { status, body } = toErrorResponse(error);
    const code = error.code;
    const details = status < 500 ? body.error.details : detailsOf(error);
    return {
      code,
      message: oneLine(error.message),
      exitCode: status < 500 ? ExitCode.refused : ExitCode.error,
      ...(details ? { details } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const code =
    typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
      ? error.code
      : "INTERNAL";
  return { code, message: oneLine(message || "Something went wrong."), exitCode: ExitCode.error };
}

function detailsOf(error: WorkflowError | { details: Record<string, unknown> }): Record<string, unknown> | undefined {
  return Object.keys(error.details).length > 0 ? error.details : undefined;
}
