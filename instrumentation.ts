/**
 * Runs once when the Next.js server starts: migrates and opens the database (SQLite, or PostgreSQL with DATABASE_URL), logs the active writer,
 * and resumes runs that were executing when a previous server process died. A periodic sweep also picks
 * up runs whose executing process (another server, the CLI) died while this one was up, and durable timers
 * (deadlines) fire and notifications go out on their own interval. On SIGTERM or SIGINT it shuts down
 * gracefully (scripts/start.sh sets NEXT_MANUAL_SIG_HANDLE so that Next leaves the signals to it).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getEnv } = await import("@/lib/env");
  const { logger } = await import("@/lib/logger");
  const telemetry = await import("@/lib/telemetry");
  // first, so every span and instrument made after it goes to the exporter
  if (getEnv().OTEL_EXPORTER_OTLP_ENDPOINT) {
    await telemetry.startTelemetry();
    logger.info({ endpoint: getEnv().OTEL_EXPORTER_OTLP_ENDPOINT }, "telemetry: OTLP traces and metrics");
  }
  const { getService, prepareDatabase } = await import("@/lib/services");
  // PostgreSQL's migrations (DATABASE_URL), before anything queries; a SQLite file migrates when it is opened
  await prepareDatabase();
  const service = getService();
  telemetry.observeRunsByStatus(() => service.runsByStatus());
  const sweep = async () => {
    try {
      const recovered = await service.recoverRuns();
      if (recovered.length > 0) logger.info({ runIds: recovered }, "resumed runs left executing by a stopped process");
    } catch (error) {
      logger.error({ err: error }, "run recovery failed");
    }
  };
  // a web instance leaves runs, timers and notifications to the workers (npm run worker)
  const executes = getEnv().DRAFTGATE_ROLE === "all";
  if (executes) await sweep();
  const sweeping = executes ? setInterval(sweep, Math.max(1_000, Math.floor(getEnv().RUN_LEASE_MS / 2))) : undefined;
  sweeping?.unref();
  if (executes) {
    // deadline reminders, escalations and expiries; one process at a time fires them (a lease in the database)
    service.timers.start(getEnv().TIMER_TICK_MS);
    // the notification outbox, on the same interval and the same kind of lease
    service.notifications.dispatcher.start(getEnv().TIMER_TICK_MS);
  }

  // Graceful shutdown: claim nothing more, end live streams (browsers reconnect elsewhere or later), cancel the
  // runs executing here and give their leases and the scheduler leases back, so another process takes over at
  // once instead of after RUN_LEASE_MS. A cancelled run resumes from its last checkpoint wherever it is picked up.
  const { drainEventStreams } = await import("@/lib/http");
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    clearInterval(sweeping);
    const streams = drainEventStreams();
    try {
      await service.close();
      await telemetry.stopTelemetry();
      logger.info(
        { signal, streams, ms: Date.now() - started },
        "shut down: live streams ended, runs and leases released",
      );
    } catch (error) {
      logger.error({ err: error, signal }, "shutdown failed");
    } finally {
      process.exit(0);
    }
  };
  process.once("SIGTERM", (signal) => void shutdown(signal));
  process.once("SIGINT", (signal) => void shutdown(signal));
}
