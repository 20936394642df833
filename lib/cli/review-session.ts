/**
 * The notebook's interactive session: wait while the run executes, show the pending review request, ask,
 * answer, repeat — until the run is published, fails, or the reviewer stops.
 */
import type { LiveSnapshot, ReviewRequest, RunDetail, RunEvent } from "@/lib/services";
import type { CliContext, CommandResult } from "./context";
import { ExitCode } from "./exit-codes";
import { ANSWER_QUESTION, formatReviewRequest, resumeCommandLine } from "./format";
import { untilAborted } from "./prompter";

export type SessionOutcome = "completed" | "awaiting_input" | "failed";

export interface Answer {
  requestId: string;
  iteration: number;
  response: string;
}

/** Prints the writer's tokens while the run executes here (terminal only). Returns the function that stops it. */
export function watchWriter(ctx: CliContext, runId: string): () => void {
  if (!ctx.streamsTokens) return () => {};
  let isWriting = false;
  let attempt = 1;
  const begin = () => {
    if (!isWriting) ctx.out.write("\nWriter is drafting: ");
    isWriting = true;
  };
  // Tokens streamed before we subscribed (a brief starts executing before submitBrief returns), and the attempt
  // they belong to: taken in the same step as the subscription, so none is missed or repeated.
  const onSnapshot = (snapshot: LiveSnapshot) => {
    attempt = snapshot.liveAttempt ?? 1;
    if (snapshot.liveText) {
      begin();
      ctx.out.write(snapshot.liveText);
    }
  };
  const onEvent = (event: RunEvent) => {
    if (event.type === "SuperstepStarted" && isWriting) {
      ctx.out.write("\n");
      isWriting = false;
    }
    if (event.type !== "AgentRunUpdate") return;
    if ((event.attempt ?? 1) !== attempt) {
      attempt = event.attempt ?? 1;
      if (isWriting) ctx.out.write(`\n(the model call failed; retrying, attempt ${attempt})`);
      isWriting = false;
    }
    begin();
    ctx.out.write(event.textDelta);
  };
  const unsubscribe = ctx.service.subscribe(ctx.actor, runId, onEvent, { onSnapshot });
  return () => {
    unsubscribe();
    if (isWriting) ctx.out.write("\n");
  };
}

/** Waits until the run stops executing in this process; Ctrl-C rejects with InterruptedError. */
async function waitWhileExecuting(ctx: CliContext, runId: string, stopWatching: () => void): Promise<RunDetail> {
  try {
    await untilAborted(ctx.service.waitForIdle(runId), ctx.signal);
  } finally {
    stopWatching();
  }
  return ctx.service.getRun(ctx.actor, runId);
}

/**
 * Follows a run that was just started or continued (its writer is being watched by `stopWatching`) until it
 * is published, fails, or the reviewer stops answering.
 */
export async function followRun(ctx: CliContext, command: string, runId: string, stopWatching: () => void, earlier: Answer[] = []): Promise<CommandResult> {
  ctx.currentRunId = runId;
  const answers = [...earlier];
  let stop = stopWatching;
  for (;;) {
    const run = await waitWhileExecuting(ctx, runId, stop);
    if (run.status === "completed") {
      ctx.out.line(`Workflow completed with: ${run.publishedText ?? ""}`);
      return sessionResult(ctx, command, run, "completed", answers);
    }
    if (run.status === "failed") {
      const error = run.error ?? { code: "INTERNAL", message: "The run failed.", detail: null };
      // the detail (the provider's own message) is there only for admins, such as the local operator
      ctx.out.error(`error [${error.code}]: ${error.message}${error.detail ? ` (${error.detail})` : ""}`);
      if (run.headCheckpointId) ctx.out.line(`The last checkpoint is kept. Retry from it with:\n  ${resumeCommandLine(run.headCheckpointId, ctx.databaseOption)}`);
      return sessionResult(ctx, command, run, "failed", answers);
    }
    const request = run.status === "awaiting_review" ? run.pendingRequests[0] : undefined;
    if (!request) {
      // Nothing executes here and nothing awaits review: another process holds the run.
      ctx.out.error(`error [RUN_BUSY]: Run ${runId} is executing in another process; list it later to see where it stands.`);
      return sessionResult(ctx, command, run, "awaiting_input", answers, ExitCode.refused);
    }
    ctx.out.promptLine(formatReviewRequest(request));
    const answer = await askForAnswer(ctx);
    if (answer === null) {
      ctx.out.line("No answer given (no more input).");
      printResumeHint(ctx, request);
      return sessionResult(ctx, command, run, "awaiting_input", answers);
    }
    if (answer.toLowerCase() === "exit") {
      ctx.out.line("Stopped by user.");
      printResumeHint(ctx, request);
      return sessionResult(ctx, command, run, "awaiting_input", answers);
    }
    stop = watchWriter(ctx, runId);
    try {
      await ctx.service.answerRequest(ctx.actor, { runId, requestId: request.requestId, response: answer });
    } catch (error) {
      stop();
      throw error;
    }
    answers.push({ requestId: request.requestId, iteration: request.iteration, response: answer });
  }
}

/** The reviewer's answer, trimmed as the notebook does; null when there is no input. */
export async function askForAnswer(ctx: CliContext): Promise<string | null> {
  const answer = await ctx.prompter.ask(ANSWER_QUESTION);
  return answer === null ? null : answer.trim();
}

export function printResumeHint(ctx: CliContext, request: Pick<ReviewRequest, "checkpointId" | "requestId">): void {
  ctx.out.line(`The run is paused at checkpoint ${request.checkpointId} (awaiting human response to request ${request.requestId}).`);
  ctx.out.line(`Resume later with:\n  ${resumeCommandLine(request.checkpointId, ctx.databaseOption)}`);
}

function sessionResult(ctx: CliContext, command: string, run: RunDetail, outcome: SessionOutcome, answers: Answer[], exitCodeOverride?: number): CommandResult {
  const exitCode = exitCodeOverride ?? (outcome === "completed" ? ExitCode.done : outcome === "failed" ? ExitCode.error : ExitCode.awaitingInput);
  const resumeFrom = outcome === "completed" ? null : (run.pendingRequests[0]?.checkpointId ?? run.headCheckpointId);
  return {
    exitCode,
    document: {
      ok: outcome !== "failed",
      command,
      outcome,
      exitCode,
      runId: run.runId,
      status: run.status,
      iteration: run.iteration,
      writer: ctx.service.writer,
      headCheckpointId: run.headCheckpointId,
      publishedText: outcome === "completed" ? run.publishedText : null,
      pendingRequests: run.pendingRequests,
      answers,
      error: run.error,
      resumeCommand: resumeFrom ? resumeCommandLine(resumeFrom, ctx.databaseOption) : null,
    },
  };
}
