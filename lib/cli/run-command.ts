import type { CliContext, CommandResult } from "./context";
import { formatWriterBanner } from "./format";
import { followRun, watchWriter } from "./review-session";

/** `run "<brief>"`: submits the brief and reviews its drafts until published or the reviewer stops. */
export async function runCommand(ctx: CliContext, brief: string): Promise<CommandResult> {
  ctx.out.line(formatWriterBanner(ctx.service.writer));
  ctx.out.line("Running workflow (human approval required)...");
  const { runId } = await ctx.service.submitBrief(ctx.actor, { brief });
  ctx.out.line(`Run: ${runId}`);
  return followRun(ctx, "run", runId, watchWriter(ctx, runId));
}
