import type { TimerTickReport } from "@/lib/services";
import type { CliContext, CommandResult } from "./context";
import { ExitCode } from "./exit-codes";

/**
 * `timers tick`: fires the deadline timers that are due (reminders, escalations, expiries) once, now, for when no
 * server is running to fire them (the server ticks every TIMER_TICK_MS). An admin's action, checked by the service.
 */
export async function tickTimersCommand(ctx: CliContext): Promise<CommandResult> {
  const report = await ctx.service.fireDueTimers(ctx.actor);
  const runs = byRun(report);
  const counts = {
    reminded: report.reminded.length,
    escalated: report.escalated.length,
    expired: report.expired.length,
  };
  const fired = counts.reminded + counts.escalated + counts.expired;
  ctx.out.line(
    fired === 0
      ? "Nothing was due."
      : `Fired ${fired} ${fired === 1 ? "timer" : "timers"}: reminded ${counts.reminded}, escalated ${counts.escalated}, expired ${counts.expired}.`,
  );
  for (const run of runs) {
    const what = [
      ...(run.reminded ? ["reminded"] : []),
      ...(run.escalatedTo !== null ? [`escalated to ${run.escalatedTo}`] : []),
      ...(run.expired ? ["expired (rejected)"] : []),
    ];
    ctx.out.line(`- ${run.runId} | ${what.join(", ")}`);
  }
  if (fired === 0) {
    const overdue = (await ctx.service.listInbox(ctx.actor, { limit: 1_000 })).filter(
      (run) => run.deadline && !run.deadline.escalatedAt && Date.parse(run.deadline.dueAt) <= Date.now(),
    );
    if (overdue.length > 0) {
      ctx.out.line(
        `${overdue.length} ${overdue.length === 1 ? "draft is" : "drafts are"} past the deadline without an escalation: a running server may hold the timers (it fires them itself), or a timer failed (see --verbose).`,
      );
    }
  }
  return { exitCode: ExitCode.done, document: { ok: true, command: "timers tick", fired, ...counts, runs } };
}

/**
 * `notifications dispatch`: sends the due notifications once, now (a server does it every TIMER_TICK_MS). Email
 * needs SMTP_URL in this shell's environment too; without it, email deliveries wait (and retry) for a process
 * that has it.
 */
export async function dispatchNotificationsCommand(ctx: CliContext): Promise<CommandResult> {
  const { delivered, counts } = await ctx.service.notifications.dispatchDue(ctx.actor);
  ctx.out.line(
    `Delivered ${delivered}; ${counts.pending} pending, ${counts.dead} dead (${counts.delivered} delivered in all).`,
  );
  return {
    exitCode: ExitCode.done,
    document: { ok: true, command: "notifications dispatch", delivered, pending: counts.pending, dead: counts.dead },
  };
}

/** The report run by run, in the order the runs first appear. */
function byRun(
  report: TimerTickReport,
): Array<{ runId: string; reminded: boolean; escalatedTo: string | null; expired: boolean }> {
  const runs = new Map<string, { runId: string; reminded: boolean; escalatedTo: string | null; expired: boolean }>();
  const entry = (runId: string) =>
    runs.get(runId) ?? runs.set(runId, { runId, reminded: false, escalatedTo: null, expired: false }).get(runId)!;
  for (const runId of report.reminded) entry(runId).reminded = true;
  for (const { runId, to } of report.escalated) entry(runId).escalatedTo = to ?? "the admins";
  for (const runId of report.expired) entry(runId).expired = true;
  return [...runs.values()];
}
