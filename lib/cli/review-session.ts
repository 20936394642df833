/**
 * The notebook's interactive session: wait while the run executes, show the pending review request, ask,
 * answer, repeat — until the run is published, rejected or fails, the reviewer stops, or the reviewer's approval
 * is recorded and the draft waits for other reviewers (a quorum).
 */
import type {
  Actor,
  AnswerResult,
  Approval,
  DecisionKind,
  LiveSnapshot,
  ReviewRequest,
  RunDetail,
  RunEvent,
} from "@/lib/services";
import { isApprovalReply } from "@/lib/release-notes";
import { InterruptedError } from "./cli-errors";
import type { CliContext, CommandResult } from "./context";
import { editInEditor } from "./draft-editor";
import { ExitCode } from "./exit-codes";
import { ANSWER_QUESTION, formatReviewRequest, resumeCommandLine } from "./format";
import { untilAborted } from "./prompter";

export type SessionOutcome = "completed" | "rejected" | "awaiting_input" | "awaiting_approvals" | "failed";

/** An answer as the CLI sends it: what the service receives (SPEC §9 text, or a decision object), and in words. */
export interface GivenAnswer {
  decision: DecisionKind;
  /** What `answerRequest`/`resumeFromCheckpoint` receive. */
  response: string | { decision: DecisionKind; text?: string; reason?: string; draftSha256?: string };
  /** "approve", the guidance, the edited text or the reason: what the `--json` document reports. */
  words: string;
}

/** An answer given in this session, for the `--json` document. */
export interface Answer {
  requestId: string;
  iteration: number;
  decision: DecisionKind;
  response: string;
}

/** What the reviewer did at the prompt. */
export type ReviewReply = { kind: "answer"; answer: GivenAnswer } | { kind: "exit" } | { kind: "no_input" };

export const REJECT_REASON_QUESTION = "Why is the draft rejected? (the reason is shown on the run): ";
const EDIT_END = ".";

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
 * is published, rejected or fails, the reviewer stops answering, or their approval waits for others.
 * `continuesNote` is printed once the first answer turns out to be applied (not an approval short of the quorum).
 */
export async function followRun(
  ctx: CliContext,
  command: string,
  runId: string,
  stopWatching: () => void,
  earlier: Answer[] = [],
  continuesNote?: string,
): Promise<CommandResult> {
  ctx.currentRunId = runId;
  const answers = [...earlier];
  let stop = stopWatching;
  let lastResult: AnswerResult | null = null;
  let note = continuesNote;
  for (;;) {
    const run = await waitWhileExecuting(ctx, runId, stop);
    const request = run.status === "awaiting_review" ? run.pendingRequests[0] : undefined;
    const own = request ? ownApproval(ctx.actor, request) : undefined;
    if (request && own) {
      // This reviewer's approval counts already: asking them again would loop. Others complete the quorum.
      ctx.out.line(formatApprovalRecorded(own, request.approvals.length, run.policy.requiredApprovals));
      printResumeHint(ctx, request);
      return sessionResult(ctx, command, run, "awaiting_approvals", answers, lastResult);
    }
    if (note) ctx.out.line(note);
    note = undefined;
    if (run.status === "completed") {
      ctx.out.line(`Workflow completed with: ${run.publishedText ?? ""}`);
      return sessionResult(ctx, command, run, "completed", answers, lastResult);
    }
    if (run.status === "rejected") {
      ctx.out.line(formatRejection(run));
      return sessionResult(ctx, command, run, "rejected", answers, lastResult);
    }
    if (run.status === "failed") {
      const error = run.error ?? { code: "INTERNAL", message: "The run failed.", detail: null };
      // the detail (the provider's own message) is there only for admins, such as the local operator
      ctx.out.error(`error [${error.code}]: ${error.message}${error.detail ? ` (${error.detail})` : ""}`);
      if (run.headCheckpointId)
        ctx.out.line(
          `The last checkpoint is kept. Retry from it with:\n  ${resumeCommandLine(run.headCheckpointId, ctx.databaseOption)}`,
        );
      return sessionResult(ctx, command, run, "failed", answers, lastResult);
    }
    if (!request) {
      // Nothing executes here and nothing awaits review: another process holds the run.
      ctx.out.error(
        `error [RUN_BUSY]: Run ${runId} is executing in another process; list it later to see where it stands.`,
      );
      return sessionResult(ctx, command, run, "awaiting_input", answers, lastResult, ExitCode.refused);
    }
    ctx.out.promptLine(formatReviewRequest(request, run.policy.requiredApprovals));
    const reply = await askForDecision(ctx, request);
    if (reply.kind !== "answer") {
      ctx.out.line(reply.kind === "no_input" ? "No answer given (no more input)." : "Stopped by user.");
      printResumeHint(ctx, request);
      return sessionResult(ctx, command, run, "awaiting_input", answers, lastResult);
    }
    stop = watchWriter(ctx, runId);
    try {
      lastResult = await ctx.service.answerRequest(ctx.actor, {
        runId,
        requestId: request.requestId,
        response: reply.answer.response,
      });
    } catch (error) {
      stop();
      throw error;
    }
    answers.push({
      requestId: request.requestId,
      iteration: request.iteration,
      decision: reply.answer.decision,
      response: reply.answer.words,
    });
    // An approval short of the quorum leaves the draft pending with this reviewer's approval: the next turn says so.
  }
}

/**
 * Asks what to do with `request`: `approve` (any case) or revision guidance as in SPEC §9, `edit` (the reviewer's
 * editor at a terminal, else the text typed up to a line holding a single "."), `reject <reason>` (`reject` alone
 * asks for the reason), or `exit`. An edit or rejection that would record nothing useful (an empty or unchanged
 * draft, no reason) says so and asks again.
 */
export async function askForDecision(
  ctx: CliContext,
  request: Pick<ReviewRequest, "draft" | "draftSha256">,
): Promise<ReviewReply> {
  for (;;) {
    const typed = await ctx.prompter.ask(ANSWER_QUESTION);
    if (typed === null) return { kind: "no_input" };
    // trimmed as the notebook does
    const answer = typed.trim();
    const word = answer.toLowerCase();
    if (word === "exit") return { kind: "exit" };
    if (word === "edit") {
      const text = await readEditedDraft(ctx, request.draft);
      if (text === null) return { kind: "no_input" };
      if (text === undefined) continue;
      return {
        kind: "answer",
        answer: {
          decision: "edit",
          response: { decision: "edit", text, draftSha256: request.draftSha256 },
          words: text,
        },
      };
    }
    if (word === "reject" || /^reject\s/.test(word)) {
      let reason = answer.slice("reject".length).trim();
      if (reason === "") {
        const typedReason = await ctx.prompter.ask(REJECT_REASON_QUESTION);
        if (typedReason === null) return { kind: "no_input" };
        reason = typedReason.trim();
      }
      if (reason === "") {
        ctx.out.promptLine("A reason is required to reject the draft; nothing was recorded.");
        continue;
      }
      return {
        kind: "answer",
        answer: {
          decision: "reject",
          response: { decision: "reject", reason, draftSha256: request.draftSha256 },
          words: reason,
        },
      };
    }
    // SPEC §9: the text itself is the answer (an empty line means the workflow's default guidance)
    return {
      kind: "answer",
      answer: { decision: isApprovalReply(answer) ? "approve" : "revise", response: answer, words: answer },
    };
  }
}

/**
 * The reviewer's edit of `draft`: in their editor when the CLI has one (a terminal with `$VISUAL`/`$EDITOR`),
 * else typed or piped up to a line holding a single ".". `null`: the input ended first; `undefined`: nothing to
 * record (the editor failed, or the text is empty or unchanged — an unchanged "edit" would count as an approval).
 */
async function readEditedDraft(ctx: CliContext, draft: string): Promise<string | null | undefined> {
  let text: string;
  if (ctx.editor) {
    ctx.out.promptLine(`Opening the draft in your editor (${ctx.editor}); save and close it to continue.`);
    const outcome = await editInEditor(ctx.editor, draft);
    if (ctx.signal.aborted) throw new InterruptedError();
    if (outcome.kind === "failed") {
      ctx.out.promptLine(`Nothing was recorded: ${outcome.reason}.`);
      return undefined;
    }
    text = outcome.text;
  } else {
    ctx.out.promptLine(`Enter the edited draft, then a line with a single '${EDIT_END}':`);
    const lines = await ctx.prompter.readBlock(EDIT_END);
    if (lines === null) return null;
    text = lines.join("\n");
  }
  if (text.trim() === "") {
    ctx.out.promptLine("The edited draft is empty; nothing was recorded.");
    return undefined;
  }
  if (text.trim() === draft.trim()) {
    ctx.out.promptLine("The draft is unchanged; nothing was recorded. Type 'approve' to approve it as it is.");
    return undefined;
  }
  return text.trim();
}

export function printResumeHint(ctx: CliContext, request: Pick<ReviewRequest, "checkpointId" | "requestId">): void {
  ctx.out.line(
    `The run is paused at checkpoint ${request.checkpointId} (awaiting human response to request ${request.requestId}).`,
  );
  ctx.out.line(`Resume later with:\n  ${resumeCommandLine(request.checkpointId, ctx.databaseOption)}`);
}

/** The approval `actor` gave the pending draft, if any (the local operator has no account: matched by name). */
export function ownApproval(actor: Actor, request: Pick<ReviewRequest, "approvals">): Approval | undefined {
  return request.approvals.find((approval) =>
    actor.userId !== null ? approval.byId === actor.userId : approval.byId === null && approval.by === actor.name,
  );
}

/** "Approval recorded: 1 of 2. The draft waits for another reviewer." */
export function formatApprovalRecorded(approval: Pick<Approval, "kind">, count: number, required: number): string {
  const missing = Math.max(required - count, 1);
  const waitsFor = missing === 1 ? "another reviewer" : `${missing} more reviewers`;
  return approval.kind === "edit"
    ? `Edit recorded as your approval: ${count} of ${required}. The edited draft waits for ${waitsFor}.`
    : `Approval recorded: ${count} of ${required}. The draft waits for ${waitsFor}.`;
}

/** "Run rejected by Rita: The price is wrong." */
export function formatRejection(run: Pick<RunDetail, "rejection">): string {
  const rejection = run.rejection;
  if (!rejection) return "Run rejected.";
  return `Run rejected${rejection.by ? ` by ${rejection.by}` : ""}: ${rejection.reason}`;
}

function sessionResult(
  ctx: CliContext,
  command: string,
  run: RunDetail,
  outcome: SessionOutcome,
  answers: Answer[],
  answerResult: AnswerResult | null,
  exitCodeOverride?: number,
): CommandResult {
  const isEnded = outcome === "completed" || outcome === "rejected";
  const exitCode =
    exitCodeOverride ?? (isEnded ? ExitCode.done : outcome === "failed" ? ExitCode.error : ExitCode.awaitingInput);
  const resumeFrom = isEnded ? null : (run.pendingRequests[0]?.checkpointId ?? run.headCheckpointId);
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
      policy: run.policy,
      approvals: run.approvals,
      answers,
      answerResult,
      rejection: run.rejection,
      error: run.error,
      resumeCommand: resumeFrom ? resumeCommandLine(resumeFrom, ctx.databaseOption) : null,
    },
  };
}
