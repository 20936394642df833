"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";
import { AnswerConflictNotice } from "@/components/runs/answer-conflict-notice";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, FieldHint, inputClasses, Label } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { SessionEnded } from "@/components/ui/session-ended";
import { resumeResponseField, type ActionResult, type ActionState } from "@/lib/actions/types";
import type { CheckpointListItem, Decision, RunPermissions, RunStatus } from "@/lib/queries";
import { resumeAccessOf, type ResumeAccess } from "./resume-access";

type ResumeResult = ActionResult<{ runId: string }>;

export interface ResumeFormProps {
  checkpoint: CheckpointListItem;
  /** The run's status: resuming a completed or rejected run re-opens it. */
  runStatus: RunStatus;
  /** What the person looking may do with the run. */
  permissions: RunPermissions;
  /** Decisions already taken from this checkpoint (its requests answered before). */
  earlierDecisions: Decision[];
  action: (previous: ActionState<{ runId: string }>, formData: FormData) => Promise<ResumeResult>;
  onResumed: (runId: string) => void;
}

/**
 * "Resume from here", with an optional answer for each request the checkpoint holds as pending, and a reason
 * when it re-opens a completed or rejected run; or, when the person looking may not resume from here, why not.
 */
export function ResumeForm({ checkpoint, runStatus, permissions, ...rest }: ResumeFormProps) {
  const access = resumeAccessOf({ runStatus, checkpoint, permissions });
  if (!access.isOffered) return <p className="text-sm text-slate-700">{access.explanation}</p>;
  return <ResumeFields checkpoint={checkpoint} access={access} {...rest} />;
}

type OfferedAccess = Extract<ResumeAccess, { isOffered: true }>;

function iterationOf(payload: unknown): number | null {
  const iteration =
    typeof payload === "object" && payload !== null ? (payload as { iteration?: unknown }).iteration : undefined;
  return typeof iteration === "number" ? iteration : null;
}

function ResumeFields({
  checkpoint,
  access,
  earlierDecisions,
  action,
  onResumed,
}: Omit<ResumeFormProps, "runStatus" | "permissions"> & { access: OfferedAccess }) {
  const [state, formAction, isPending] = useActionState(action, null);
  // Controlled, so what was typed survives a refused resume or an ended session.
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [reason, setReason] = useState("");
  const ids = {
    reason: useId(),
    reasonHint: useId(),
    reasonError: useId(),
    answerPrefix: useId(),
    needsAnswer: useId(),
  };
  const reported = useRef<ResumeResult | null>(null);

  useEffect(() => {
    if (state?.ok && reported.current !== state) {
      reported.current = state;
      onResumed(state.data.runId);
    }
  }, [state, onResumed]);

  const error = state && !state.ok ? state.error : null;
  const isConflict = error?.code === "REQUEST_ALREADY_ANSWERED" || error?.code === "REQUEST_SUPERSEDED";
  const reasonErrors = error?.fieldErrors?.reason;
  const setAnswer = (requestId: string, text: string) => setAnswers((current) => ({ ...current, [requestId]: text }));
  const hasAnswer = Object.values(answers).some((answer) => answer.trim() !== "");
  const isMissingAnswer = access.needsAnswer && !hasAnswer;
  const status = isPending
    ? "Resuming the run…"
    : state?.ok
      ? "Resumed. Opening the run…"
      : error?.code === "UNAUTHENTICATED"
        ? "" // SessionEnded above says it (as an alert)
        : error && !isConflict
          ? error.message
          : "";

  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="checkpointId" value={checkpoint.checkpointId} />
      {/* Resuming an older checkpoint is a deliberate branch; at the head, an answer someone else gave first wins. */}
      <input type="hidden" name="branch" value={checkpoint.isHead ? "false" : "true"} />
      {access.isReopening ? (
        <Alert tone="warning">
          This run is <strong>{access.endedAs}</strong>. Resuming from here <strong>re-opens</strong> it as a new
          branch: the writer continues from this checkpoint and its drafts need review again. Every version published so
          far stays visible on the run page.
        </Alert>
      ) : checkpoint.isHead ? (
        <p className="text-sm text-slate-700">This is the run’s newest checkpoint: the run continues from here.</p>
      ) : (
        <Alert tone="info">
          This is an older checkpoint: resuming starts a <strong>new branch</strong> from here. Requests left open on
          the current branch become superseded.
        </Alert>
      )}

      {access.isReopening ? (
        <div className="space-y-1.5">
          <Label htmlFor={ids.reason}>Why re-open this {access.endedAs} run?</Label>
          <FieldHint id={ids.reasonHint}>
            Required. Kept in the run’s audit trail with your name; earlier published versions stay visible.
          </FieldHint>
          <textarea
            id={ids.reason}
            name="reason"
            rows={3}
            required
            maxLength={2000}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={reasonErrors ? true : undefined}
            aria-describedby={cn(ids.reasonHint, reasonErrors && ids.reasonError)}
            className={cn(inputClasses, "resize-y")}
          />
          <FieldError id={ids.reasonError} messages={reasonErrors} />
        </div>
      ) : null}

      {access.mayAnswer ? (
        checkpoint.pendingRequests.map((request) => {
          const fieldId = `${ids.answerPrefix}-${request.requestId}`;
          const hintId = `${fieldId}-hint`;
          const iteration = iterationOf(request.payload);
          const earlier = earlierDecisions.find((decision) => decision.requestId === request.requestId);
          return (
            <div key={request.requestId} className="space-y-1.5">
              {earlier ? (
                <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
                  Answered here before by <strong>{earlier.decidedBy ?? "an unnamed reviewer"}</strong> (
                  <LocalTime iso={earlier.decidedAt} />
                  ):{" "}
                  <span className="whitespace-pre-wrap break-words">
                    {earlier.isApproval
                      ? "approved"
                      : earlier.response.trim() === ""
                        ? "revision with the default guidance"
                        : `“${earlier.response}”`}
                  </span>
                </p>
              ) : null}
              <Label htmlFor={fieldId}>
                Answer for the pending review{iteration ? ` of draft ${iteration}` : ""}
                {access.needsAnswer ? "" : " (optional)"}
              </Label>
              <FieldHint id={hintId}>
                {access.needsAnswer
                  ? "Write an answer to resume from here."
                  : "Leave empty to resume without an answer: the run asks for this review again."}{" "}
                {access.mayApprove
                  ? "Write guidance to send the draft back, or “approve” to publish it."
                  : "You submitted this brief, so someone else approves it: write guidance to send the draft back."}
              </FieldHint>
              <textarea
                id={fieldId}
                name={resumeResponseField(request.requestId)}
                rows={3}
                value={answers[request.requestId] ?? ""}
                onChange={(event) => setAnswer(request.requestId, event.target.value)}
                aria-describedby={hintId}
                className={cn(inputClasses, "resize-y")}
              />
              {access.mayApprove ? (
                <Button
                  type="button"
                  variant="ghost"
                  className="border border-slate-300"
                  onClick={() => setAnswer(request.requestId, "approve")}
                >
                  <span aria-hidden="true">✓</span> Fill in “approve”
                </Button>
              ) : null}
            </div>
          );
        })
      ) : checkpoint.pendingRequests.length > 0 ? (
        <p className="text-sm text-slate-700">
          Reviewers answer the pending review; resuming without an answer asks for it again.
        </p>
      ) : null}

      <SessionEnded code={error?.code} />
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="submit"
          variant="primary"
          disabled={isPending || isMissingAnswer}
          aria-describedby={isMissingAnswer ? ids.needsAnswer : undefined}
        >
          {isPending ? "Resuming…" : access.isReopening ? "Re-open from here" : "Resume from here"}
        </Button>
        {isMissingAnswer ? (
          <p id={ids.needsAnswer} className="text-sm text-slate-600">
            Write an answer first: resuming without one is for the person who submitted this brief, or an admin.
          </p>
        ) : null}
        <p
          role="status"
          aria-live="polite"
          className={cn("text-sm", error ? "font-medium text-rose-700" : "text-slate-700")}
        >
          {status}
        </p>
      </div>
      {error && isConflict ? <AnswerConflictNotice error={error} /> : null}
    </form>
  );
}
