import { metrics, trace, type Attributes, type Span } from "@opentelemetry/api";

/**
 * Draftgate's traces and metrics, through the OpenTelemetry API: without an SDK (OTEL_EXPORTER_OTLP_ENDPOINT
 * unset) every call here is a no-op. The server starts the SDK in instrumentation.ts ({@link startTelemetry}).
 *
 * Spans: `run.call` (one engine call of a run: a submission, an answer, a resume, a recovery), `superstep` under
 * it, and under each superstep `model.call` (model, provider, tokens in and out, attempt) and `checkpoint.save`.
 * Next.js adds a span per HTTP request. Every span of a run carries `draftgate.run_id`.
 */

export const ATTR = {
  runId: "draftgate.run_id",
  superstep: "draftgate.superstep",
  intent: "draftgate.intent",
  checkpointId: "draftgate.checkpoint_id",
  checkpointKind: "draftgate.checkpoint_kind",
  executorId: "draftgate.executor_id",
  attempt: "draftgate.model.attempt",
  provider: "gen_ai.provider.name",
  model: "gen_ai.request.model",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
} as const;

/** A proxy: spans go to whichever SDK is registered when they start (none: no-ops). */
export const tracer = trace.getTracer("draftgate");

function createInstruments() {
  const meter = metrics.getMeter("draftgate");
  return {
    provider: metrics.getMeterProvider(),
    reviewWait: meter.createHistogram("draftgate.review.wait", {
      unit: "s",
      description: "Time from a review request to the decision applied to it",
    }),
    modelLatency: meter.createHistogram("draftgate.model.duration", {
      unit: "s",
      description: "Duration of a model call (an attempt), from its slot to its last token",
    }),
    modelTokens: meter.createCounter("draftgate.model.tokens", {
      unit: "{token}",
      description: "Tokens sent to and received from the model",
    }),
    deliveryFailures: meter.createCounter("draftgate.notifications.failures", {
      description: "Notification delivery attempts that failed",
    }),
  };
}

let current: ReturnType<typeof createInstruments> | undefined;

/**
 * The instruments Draftgate records into. The metrics API has no proxy (unlike traces): instruments made before
 * the SDK starts stay no-ops, so they are made on first use, and again if the meter provider changed.
 */
export function instruments(): ReturnType<typeof createInstruments> {
  if (current?.provider !== metrics.getMeterProvider()) current = createInstruments();
  return current;
}

/** Registers an observable gauge of runs by status, read at each export (call after the SDK started). */
export function observeRunsByStatus(read: () => Promise<Record<string, number>>): void {
  metrics
    .getMeter("draftgate")
    .createObservableGauge("draftgate.runs", { description: "Runs by status" })
    .addCallback(async (result) => {
      for (const [status, count] of Object.entries(await read()))
        result.observe(count, { "draftgate.run.status": status });
    });
}

/** Ends `span` as failed with `error`. */
export function endWithError(span: Span, error: unknown, attributes: Attributes = {}): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: 2, message: error instanceof Error ? error.message : String(error) });
  span.setAttributes(attributes);
  span.end();
}

/**
 * Starts the OpenTelemetry SDK from the standard OTEL_* environment variables (OTLP over HTTP to
 * OTEL_EXPORTER_OTLP_ENDPOINT, traces and metrics), as `service.name` draftgate. Call once, early, in a
 * long-running process.
 */
export async function startTelemetry(): Promise<void> {
  const { startNodeSdk } = await import("@opentelemetry/sdk-node");
  sdkShutdown = startNodeSdk({ resourceAttributes: { "service.name": "draftgate" } }).shutdown;
}

let sdkShutdown: (() => Promise<void>) | undefined;

/** Flushes and stops the SDK, if it was started (a shutdown). */
export async function stopTelemetry(): Promise<void> {
  await sdkShutdown?.();
  sdkShutdown = undefined;
}
