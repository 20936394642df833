"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldHint, inputClasses, Label } from "@/components/ui/field";
import { AnswerConflictNotice } from "@/components/runs/answer-conflict-notice";
import { resumeResponseField, type ActionResult, type ActionState } from "@/lib/actions/types";
import { LocalTime } from "@/components/ui/local-time";
import type { CheckpointListItem, Decision } from "@/lib/queries";

type ResumeResult = ActionResult<{ runId: string }>;

export interface ResumeFormProps {
  checkpoint: CheckpointListItem;
  /** Decisions already taken from this checkpoint (its requests answered before). */
  earlierDecisions: Decision[];
  reviewerName: string;
  onReviewerNameChange: (name: string) => void;
  action: (previous: ActionState<{ runId: string }>, formData: FormData) => Promise<ResumeResult>;
  onResumed: (runId: string) => void;
}

function iterationOf(payload: unknown): number | null {
  const iteration = typeof payload === "object" && payload !== null ? (payload as { iteration?: unknown }).iteration : undefined;
  return typeof iteration === "number" ? iteration : null;
}

/** "Resume from here", with an optional answer for each request the checkpoint holds as pending. */
export function ResumeForm({ checkpoint, earlierDecisions, reviewerName, onReviewerNameChange, action, onResumed }: ResumeFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const nameId = useId();
  const answerIdPrefix = useId();
  const reported = useRef<ResumeResult | null>(null);

  useEffect(() => {
    if (state?.ok && reported.current !== state) {
      reported.current = state;
      onResumed(state.data.runId);
    }
  }, [state, onResumed]);

  const isConflict = state?.ok === false && (state.error.code === "REQUEST_ALREADY_ANSWERED" || state.error.code === "REQUEST_SUPERSEDED");
  const setAnswer = (requestId: string, text: string) => setAnswers((current) => ({ ...current, [requestId]: text }));

  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="checkpointId" value={checkpoint.checkpointId} />
      {/* Resuming an older checkpoint is a deliberate branch; at the head, an answer someone else gave first wins. */}
      <input type="hidden" name="branch" value={checkpoint.isHead ? "false" : "true"} />
      {checkpoint.isHead ? (
        <p className="text-sm text-slate-700">This is the run’s newest checkpoint: the run continues from here.</p>
      ) : (
        <Alert tone="info">
          This is an older checkpoint: resuming starts a <strong>new branch</strong> from here. Requests left open on the current branch become superseded.
        </Alert>
      )}

      {checkpoint.pendingRequests.map((request) => {
        const fieldId = `${answerIdPrefix}-${request.requestId}`;
        const hintId = `${fieldId}-hint`;
        const iteration = iterationOf(request.payload);
        const earlier = earlierDecisions.find((decision) => decision.requestId === request.requestId);
        return (
          <div key={request.requestId} className="space-y-1.5">
            {earlier ? (
              <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
                Answered here before by <strong>{earlier.decidedBy ?? "an unnamed reviewer"}</strong> (<LocalTime iso={earlier.decidedAt} />):{" "}
                <span className="whitespace-pre-wrap break-words">{earlier.isApproval ? "approved" : earlier.response.trim() === "" ? "revision with the default guidance" : `“${earlier.response}”`}</span>
              </p>
            ) : null}
            <Label htmlFor={fieldId}>Answer for the pending review{iteration ? ` of draft ${iteration}` : ""} (optional)</Label>
            <FieldHint id={hintId}>
              Leave empty to resume without an answer: the run asks for this review again. Write guidance to send the draft back, or “approve” to publish it.
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
            <Button type="button" variant="ghost" className="border border-slate-300" onClick={() => setAnswer(request.requestId, "approve")}>
              <span aria-hidden="true">✓</span> Fill in “approve”
            </Button>
          </div>
        );
      })}

      <div className="max-w-sm space-y-1.5">
        <Label htmlFor={nameId}>Your name</Label>
        <input id={nameId} name="respondedBy" autoComplete="name" value={reviewerName} onChange={(event) => onReviewerNameChange(event.target.value)} className={inputClasses} />
        <FieldHint>Recorded with any answer you pre-supply.</FieldHint>
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={isPending}>
          {isPending ? "Resuming…" : "Resume from here"}
        </Button>
        <p role="status" aria-live="polite" className={cn("text-sm", state && !state.ok ? "font-medium text-rose-700" : "text-slate-700")}>
          {isPending ? "Resuming the run…" : state?.ok ? "Resumed. Opening the run…" : state && !isConflict ? state.error.message : ""}
        </p>
      </div>
      {state && !state.ok && isConflict ? <AnswerConflictNotice error={state.error} /> : null}
    </form>
  );
}
