import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { CliContext, CommandResult } from "./context";
import { ExitCode } from "./exit-codes";

/**
 * `worker` (`npm run worker`): executes runs for web instances started with DRAFTGATE_ROLE=web, and fires the
 * deadline timers and sends the notifications. Every WORKER_POLL_MS it claims the runs nobody executes (handed
 * over by a web instance, or left by a process that died) under fenced leases, like any server; several workers
 * share the work. Ctrl-C or SIGTERM stops it gracefully: its executions are cancelled and their leases released,
 * so another worker continues them from their last checkpoint at once.
 */
export async function workerCommand(ctx: CliContext): Promise<CommandResult> {
  const env = getEnv();
  const { service } = ctx;
  let stopping = false;
  let wake: () => void = () => {};
  const stop = () => {
    stopping = true;
    wake();
  };
  ctx.signal.addEventListener("abort", stop, { once: true });
  process.once("SIGTERM", stop);
  service.timers.start(env.TIMER_TICK_MS);
  service.notifications.dispatcher.start(env.TIMER_TICK_MS);
  ctx.out.line(
    `Worker ${process.pid}: executing runs, timers and notifications (looking for work every ${env.WORKER_POLL_MS} ms). Ctrl-C or SIGTERM stops it.`,
  );
  let claimed = 0;
  try {
    while (!stopping) {
      try {
        const runIds = await service.recoverRuns();
        claimed += runIds.length;
        if (runIds.length > 0) logger.info({ runIds }, "worker: executing runs");
      } catch (error) {
        logger.error({ err: error }, "worker: looking for runs failed");
      }
      // a referenced timer: it is what keeps the worker's process alive between polls
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, env.WORKER_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.removeListener("SIGTERM", stop);
  }
  // the service is closed by the caller: executions cancelled, run and scheduler leases released
  ctx.out.line(
    `Worker ${process.pid} stopped after claiming ${claimed} ${claimed === 1 ? "run" : "runs"}; what it was executing continues elsewhere from its last checkpoint.`,
  );
  return { exitCode: ExitCode.done, document: { ok: true, command: "worker", claimed } };
}
