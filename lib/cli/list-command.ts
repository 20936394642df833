import type { CheckpointListItem } from "@/lib/services";
import { CliError } from "./cli-errors";
import type { CliContext, CommandResult } from "./context";
import { ExitCode } from "./exit-codes";
import { formatCheckpointLine, formatRunLine, resumeCommandLine } from "./format";

/**
 * `list --run <id>`: the run's checkpoints, oldest first (the notebook's checkpoint summary).
 * `list`: the newest runs, newest first, then the checkpoints of the newest run — what you just ran is
 * usually what you want to resume. `list --inbox [--mine]`: what awaits review.
 */
export async function listCommand(
  ctx: CliContext,
  options: { runId?: string; limit: number; inbox?: "all" | "mine" },
): Promise<CommandResult> {
  if (options.inbox) return listInbox(ctx, options.inbox, options.limit);
  if (options.runId) {
    const checkpoints = await ctx.service.listCheckpoints(ctx.actor, options.runId);
    printCheckpoints(ctx, options.runId, checkpoints);
    return { exitCode: ExitCode.done, document: { ok: true, command: "list", runId: options.runId, checkpoints } };
  }
  const { runs } = await ctx.service.listRuns(ctx.actor, { limit: options.limit });
  if (runs.length === 0) {
    ctx.out.line('No runs yet. Start one with: npm run cli -- run "<brief>"');
    return { exitCode: ExitCode.done, document: { ok: true, command: "list", runs, newestRun: null } };
  }
  ctx.out.line("Runs (newest first):");
  const now = Date.now();
  for (const run of runs) ctx.out.line(formatRunLine(run, now));
  const newest = runs[0]!;
  const checkpoints = await ctx.service.listCheckpoints(ctx.actor, newest.runId);
  ctx.out.line();
  printCheckpoints(ctx, newest.runId, checkpoints);
  return {
    exitCode: ExitCode.done,
    document: { ok: true, command: "list", runs, newestRun: { runId: newest.runId, checkpoints } },
  };
}

/**
 * `list --inbox`: the runs awaiting review, oldest first, with their approvals, assigned reviewers and due state;
 * `--mine` keeps those assigned to the acting person (`--as`: the local operator has no account to assign).
 */
async function listInbox(ctx: CliContext, inbox: "all" | "mine", limit: number): Promise<CommandResult> {
  if (inbox === "mine" && ctx.actor.userId === null) {
    throw new CliError(
      "BAD_OPTION",
      `--mine lists the runs assigned to you, and the local operator ${ctx.actor.name} has no account to assign runs to; add --as <your email>`,
    );
  }
  const runs = await ctx.service.listInbox(ctx.actor, { limit, assigned: inbox === "mine" ? "me" : "all" });
  if (runs.length === 0)
    ctx.out.line(inbox === "mine" ? `Nothing assigned to ${ctx.actor.name} awaits review.` : "Nothing awaits review.");
  else
    ctx.out.line(
      inbox === "mine"
        ? `Awaiting review, assigned to ${ctx.actor.name} (oldest first):`
        : "Awaiting review (oldest first):",
    );
  const now = Date.now();
  for (const run of runs) ctx.out.line(formatRunLine(run, now));
  return { exitCode: ExitCode.done, document: { ok: true, command: "list", inbox, runs } };
}

function printCheckpoints(ctx: CliContext, runId: string, checkpoints: CheckpointListItem[]): void {
  ctx.out.line(`Checkpoint summary of run ${runId} (oldest first):`);
  for (const checkpoint of checkpoints) ctx.out.line(formatCheckpointLine(checkpoint));
  const head = checkpoints.find((checkpoint) => checkpoint.isHead);
  if (head?.status === "awaiting human response")
    ctx.out.line(`Resume with:\n  ${resumeCommandLine(head.checkpointId, ctx.databaseOption)}`);
}
