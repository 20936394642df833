import type { CheckpointListItem } from "@/lib/services";
import type { CliContext, CommandResult } from "./context";
import { ExitCode } from "./exit-codes";
import { formatCheckpointLine, formatRunLine, resumeCommandLine } from "./format";

/**
 * `list --run <id>`: the run's checkpoints, oldest first (the notebook's checkpoint summary).
 * `list`: the newest runs, newest first, then the checkpoints of the newest run — what you just ran is
 * usually what you want to resume.
 */
export async function listCommand(ctx: CliContext, options: { runId?: string; limit: number }): Promise<CommandResult> {
  if (options.runId) {
    const checkpoints = await ctx.service.listCheckpoints(ctx.actor, options.runId);
    printCheckpoints(ctx, options.runId, checkpoints);
    return { exitCode: ExitCode.done, document: { ok: true, command: "list", runId: options.runId, checkpoints } };
  }
  const { runs } = ctx.service.listRuns(ctx.actor, { limit: options.limit });
  if (runs.length === 0) {
    ctx.out.line('No runs yet. Start one with: npm run cli -- run "<brief>"');
    return { exitCode: ExitCode.done, document: { ok: true, command: "list", runs, newestRun: null } };
  }
  ctx.out.line("Runs (newest first):");
  for (const run of runs) ctx.out.line(formatRunLine(run));
  const newest = runs[0]!;
  const checkpoints = await ctx.service.listCheckpoints(ctx.actor, newest.runId);
  ctx.out.line();
  printCheckpoints(ctx, newest.runId, checkpoints);
  return { exitCode: ExitCode.done, document: { ok: true, command: "list", runs, newestRun: { runId: newest.runId, checkpoints } } };
}

function printCheckpoints(ctx: CliContext, runId: string, checkpoints: CheckpointListItem[]): void {
  ctx.out.line(`Checkpoint summary of run ${runId} (oldest first):`);
  for (const checkpoint of checkpoints) ctx.out.line(formatCheckpointLine(checkpoint));
  const head = checkpoints.find((checkpoint) => checkpoint.isHead);
  if (head?.status === "awaiting human response") ctx.out.line(`Resume with:\n  ${resumeCommandLine(head.checkpointId, ctx.databaseOption)}`);
}
