import { isWorkflowError, WorkflowError } from "@/lib/workflow";
import { HumanApprovalRequest } from "@/lib/release-notes";
import { draftSha256, type CheckpointListItem, type ReviewRequest } from "@/lib/services";
import { CliError } from "./cli-errors";
import type { CliContext, CommandResult } from "./context";
import { ExitCode } from "./exit-codes";
import { COMPLETED_CHECKPOINT_REFUSAL, formatReviewRequest, formatWriterBanner } from "./format";
import { askForAnswer, followRun, printResumeHint, watchWriter, type Answer } from "./review-session";

export interface ResumeOptions {
  /** `--respond <requestId>=<text>`, as typed. */
  respond: string[];
  /** `--approve`: answer every pending request (not given by `--respond`) with "approve". */
  approve: boolean;
  /** `--branch`: answers may differ from ones already given from this checkpoint (a "what if" branch). */
  isBranch: boolean;
  /** `--reason`: why a completed run is re-opened (required for that). */
  reason?: string;
}

/**
 * `resume <checkpointId>`: continues a run from any of its checkpoints. Answers for the checkpoint's pending
 * requests come from `--respond`, `--approve`, or the reviewer (asked first, so they are pre-supplied and not
 * asked again); then the run is followed like `run`.
 */
export async function resumeCommand(ctx: CliContext, checkpointId: string, options: ResumeOptions): Promise<CommandResult> {
  const given = parseRespondOptions(options.respond);
  const { summary } = await ctx.service.getCheckpoint(ctx.actor, checkpointId);
  const runId = summary.runId;
  ctx.currentRunId = runId;
  if (summary.status === "completed") {
    ctx.out.line(COMPLETED_CHECKPOINT_REFUSAL);
    const run = await ctx.service.getRun(ctx.actor, runId);
    return {
      exitCode: ExitCode.done,
      document: { ok: true, command: "resume", outcome: "already_completed", exitCode: ExitCode.done, message: COMPLETED_CHECKPOINT_REFUSAL, checkpointId, runId, status: run.status, publishedText: run.publishedText },
    };
  }

  ctx.out.line(formatWriterBanner(ctx.service.writer));
  ctx.out.line(`Resuming from checkpoint: ${checkpointId}`);
  if (!summary.isHead) ctx.out.line(`This is not the newest checkpoint of run ${runId}: resuming starts a branch from it.`);

  const pending = pendingReviewRequests(summary);
  for (const requestId of Object.keys(given)) {
    if (!pending.some((request) => request.requestId === requestId)) {
      const ids = pending.map((request) => request.requestId);
      throw new CliError("REQUEST_NOT_FOUND", `Request ${requestId} is not pending at checkpoint ${checkpointId}${ids.length ? ` (pending: ${ids.join(", ")})` : " (nothing is pending there)"}`);
    }
  }

  const responses: Record<string, string> = { ...given };
  for (const request of pending) {
    if (request.requestId in responses) continue;
    if (options.approve) {
      responses[request.requestId] = "approve";
      continue;
    }
    ctx.out.promptLine(formatReviewRequest(request));
    const answer = await askForAnswer(ctx);
    if (answer === null || answer.toLowerCase() === "exit") {
      ctx.out.line(answer === null ? "No answer given (no more input)." : "Resume aborted by user.");
      printResumeHint(ctx, request);
      return {
        exitCode: ExitCode.awaitingInput,
        document: { ok: true, command: "resume", outcome: "awaiting_input", exitCode: ExitCode.awaitingInput, checkpointId, runId, pendingRequests: pending },
      };
    }
    responses[request.requestId] = answer;
  }

  const answers: Answer[] = pending.flatMap((request) => {
    const response = responses[request.requestId];
    return response === undefined ? [] : [{ requestId: request.requestId, iteration: request.iteration, response }];
  });
  const stopWatching = watchWriter(ctx, runId);
  try {
    await ctx.service.resumeFromCheckpoint(ctx.actor, { checkpointId, ...(answers.length ? { responses } : {}), branch: options.isBranch, ...(options.reason ? { reason: options.reason } : {}) });
  } catch (error) {
    stopWatching();
    if (isWorkflowError(error, "REQUEST_ALREADY_ANSWERED") && !options.isBranch) {
      // say how to do it on purpose, keeping who answered and when for --json
      throw new WorkflowError(error.code, `${error.message}. To answer it differently on purpose, as a new branch of history, run the same command with --branch.`, error.details);
    }
    throw error;
  }
  if (answers.length) ctx.out.line(`Pre-supplied ${answers.length === 1 ? "response" : "responses"} applied; the run continues.`);
  return followRun(ctx, "resume", runId, stopWatching, answers);
}

/** `--respond id=text` → `{ id: text }`; the text may be empty (default guidance) and may contain "=". */
export function parseRespondOptions(values: string[]): Record<string, string> {
  const responses: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf("=");
    const requestId = at === -1 ? "" : value.slice(0, at).trim();
    if (!requestId) throw new CliError("BAD_OPTION", `--respond expects <requestId>=<text>, got "${value}"`);
    if (requestId in responses) throw new CliError("BAD_OPTION", `--respond gives request ${requestId} twice`);
    responses[requestId] = value.slice(at + 1).trim();
  }
  return responses;
}

function pendingReviewRequests(summary: CheckpointListItem): ReviewRequest[] {
  return summary.pendingRequests.flatMap((request) => {
    const payload = HumanApprovalRequest.schema.safeParse(request.payload);
    if (!payload.success) return [];
    const { prompt, draft, iteration, editedFrom } = payload.data;
    return [
      { requestId: request.requestId, prompt, draft, draftSha256: draftSha256(draft), iteration, editedFrom: editedFrom ?? null, editedBy: null, approvals: [], createdAt: summary.createdAt, checkpointId: summary.checkpointId },
    ];
  });
}
