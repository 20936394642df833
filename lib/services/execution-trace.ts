import { context, trace, type Context, type Span } from "@opentelemetry/api";
import type { WorkflowEvent } from "@/lib/workflow";
import { ATTR, endWithError, tracer } from "@/lib/telemetry";

/**
 * The spans of one engine call of a run: `run.call`, with a `superstep` child per superstep, opened and closed as
 * the engine reports them. Model calls and checkpoint saves hang under {@link parent}: the open superstep, or the
 * call itself between supersteps. No-ops without an OpenTelemetry SDK.
 */
export class ExecutionTrace {
  private readonly runSpan: Span;
  private superstep: Span | undefined;
  /** Model calls per executor in the open superstep: a retry is attempt 2. */
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly runId: string,
    intent: string,
  ) {
    this.runSpan = tracer.startSpan("run.call", { attributes: { [ATTR.runId]: runId, [ATTR.intent]: intent } });
  }

  parent(): Context {
    return trace.setSpan(context.active(), this.superstep ?? this.runSpan);
  }

  /** The next attempt number of `executorId`'s model call in the open superstep (1 for the first). */
  nextAttempt(executorId: string): number {
    const attempt = (this.attempts.get(executorId) ?? 0) + 1;
    this.attempts.set(executorId, attempt);
    return attempt;
  }

  onEvent(event: WorkflowEvent): void {
    switch (event.type) {
      case "SuperstepStarted":
        this.superstep?.end();
        this.attempts.clear();
        this.superstep = tracer.startSpan(
          "superstep",
          { attributes: { [ATTR.runId]: this.runId, [ATTR.superstep]: event.superstep } },
          trace.setSpan(context.active(), this.runSpan),
        );
        return;
      case "SuperstepCompleted":
        this.superstep?.end();
        this.superstep = undefined;
        return;
      case "WorkflowFailed":
        this.superstep?.setStatus({ code: 2, message: event.message });
        this.runSpan.setStatus({ code: 2, message: `${event.code}: ${event.message}` });
        return;
      default:
        return;
    }
  }

  /** Ends the open superstep and the call (failed when `error` is given). */
  end(error?: unknown): void {
    this.superstep?.end();
    this.superstep = undefined;
    if (error === undefined) this.runSpan.end();
    else endWithError(this.runSpan, error);
  }
}
