import { isWorkflowError, WorkflowError } from "@/lib/workflow";
import { pendingDraftsOf, type CheckpointListItem, type ReviewRequest, type RunDetail } from "@/lib/services";
import { approval, parseAnswerOptions, resolveEdit, type AnswerOptions } from "./answer-options";
import { CliError } from "./cli-errors";
import type { CliContext, CommandResult } from "./context";
import { ExitCode } from "./exit-codes";
import { COMPLETED_CHECKPOINT_REFUSAL, formatReviewRequest, formatWriterBanner } from "./format";
import {
  askForDecision,
  followRun,
  formatRejection,
  printResumeHint,
  watchWriter,
  type Answer,
  type GivenAnswer,
} from "./review-session";

export interface ResumeOptions extends AnswerOptions {
  /** `--branch`: answers may differ from ones already given from this checkpoint (a "what if" branch). */
  isBranch: boolean;
  /** `--reason`: why a completed or rejected run is re-opened (required for that). */
  reason?: string;
}

/**
 * `resume <checkpointId>`: continues a run from any of its checkpoints. Answers for the checkpoint's pending
 * requests come from the answer flags (answer-options.ts) or the reviewer (asked first, so they are pre-supplied
 * and not asked again); then the run is followed like `run`.
 */
export async function resumeCommand(
  ctx: CliContext,
  checkpointId: string,
  options: ResumeOptions,
): Promise<CommandResult> {
  const { byRequest, approvesTheRest } = parseAnswerOptions(options);
  const { summary } = await ctx.service.getCheckpoint(ctx.actor, checkpointId);
  const runId = summary.runId;
  ctx.currentRunId = runId;
  const run = await ctx.service.getRun(ctx.actor, runId);
  // A rejected run's newest checkpoint waits for nothing: like a completed one, there is nothing to resume there
  // (an admin re-opens the run from an earlier checkpoint, with --reason).
  const isRejectedHead = run.status === "rejected" && summary.isHead;
  if (summary.status === "completed" || isRejectedHead) {
    const message = isRejectedHead
      ? `${formatRejection(run)}\nNothing to resume: the run ended unpublished.`
      : COMPLETED_CHECKPOINT_REFUSAL;
    ctx.out.line(message);
    return {
      exitCode: ExitCode.done,
      document: {
        ok: true,
        command: "resume",
        outcome: isRejectedHead ? "already_rejected" : "already_completed",
        exitCode: ExitCode.done,
        message,
        checkpointId,
        runId,
        status: run.status,
        publishedText: run.publishedText,
        rejection: run.rejection,
      },
    };
  }

  ctx.out.line(formatWriterBanner(ctx.service.writer));
  ctx.out.line(`Resuming from checkpoint: ${checkpointId}`);
  if (!summary.isHead)
    ctx.out.line(`This is not the newest checkpoint of run ${runId}: resuming starts a branch from it.`);

  const pending = pendingReviewRequests(summary, run);
  for (const requestId of byRequest.keys()) {
    if (!pending.some((request) => request.requestId === requestId)) {
      const ids = pending.map((request) => request.requestId);
      throw new CliError(
        "REQUEST_NOT_FOUND",
        `Request ${requestId} is not pending at checkpoint ${checkpointId}${ids.length ? ` (pending: ${ids.join(", ")})` : " (nothing is pending there)"}`,
      );
    }
  }

  const given = new Map<string, GivenAnswer>();
  for (const request of pending) {
    const option = byRequest.get(request.requestId);
    if (option)
      given.set(
        request.requestId,
        option.kind === "edit" ? await resolveEdit(option, request, ctx.readStdin) : option.answer,
      );
    else if (approvesTheRest) given.set(request.requestId, approval());
  }
  for (const request of pending) {
    if (given.has(request.requestId)) continue;
    ctx.out.promptLine(formatReviewRequest(request, run.policy.requiredApprovals));
    const reply = await askForDecision(ctx, request);
    if (reply.kind !== "answer") {
      ctx.out.line(reply.kind === "no_input" ? "No answer given (no more input)." : "Resume aborted by user.");
      printResumeHint(ctx, request);
      return {
        exitCode: ExitCode.awaitingInput,
        document: {
          ok: true,
          command: "resume",
          outcome: "awaiting_input",
          exitCode: ExitCode.awaitingInput,
          checkpointId,
          runId,
          pendingRequests: pending,
          policy: run.policy,
          approvals: run.approvals,
        },
      };
    }
    given.set(request.requestId, reply.answer);
  }

  const answers: Answer[] = pending.flatMap((request) => {
    const answer = given.get(request.requestId);
    return answer
      ? [
          {
            requestId: request.requestId,
            iteration: request.iteration,
            decision: answer.decision,
            response: answer.words,
          },
        ]
      : [];
  });
  const responses = Object.fromEntries([...given].map(([requestId, answer]) => [requestId, answer.response]));
  const stopWatching = watchWriter(ctx, runId);
  try {
    await ctx.service.resumeFromCheckpoint(ctx.actor, {
      checkpointId,
      ...(answers.length ? { responses } : {}),
      branch: options.isBranch,
      ...(options.reason ? { reason: options.reason } : {}),
    });
  } catch (error) {
    stopWatching();
    if (isWorkflowError(error, "REQUEST_ALREADY_ANSWERED") && !options.isBranch) {
      // say how to do it on purpose, keeping who answered and when for --json
      throw new WorkflowError(
        error.code,
        `${error.message}. To answer it differently on purpose, as a new branch of history, run the same command with --branch.`,
        error.details,
      );
    }
    throw error;
  }
  // said once the run is seen moving on: an approval short of the quorum is reported instead
  const note = answers.length
    ? `Pre-supplied ${answers.length === 1 ? "response" : "responses"} applied; the run continues.`
    : undefined;
  return followRun(ctx, "resume", runId, stopWatching, answers, note);
}

/**
 * The checkpoint's pending review requests. On the run's newest checkpoint they come with their approvals and
 * editor (the run's view); on an older one, approvals given on the newest branch do not count.
 */
function pendingReviewRequests(summary: CheckpointListItem, run: RunDetail): ReviewRequest[] {
  return pendingDraftsOf(summary).map(
    (request) =>
      (summary.isHead ? run.pendingRequests.find((current) => current.requestId === request.requestId) : undefined) ?? {
        ...request,
        editedBy: null,
        approvals: [],
      },
  );
}
