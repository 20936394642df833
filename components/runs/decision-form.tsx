"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, FieldHint, inputClasses, Label } from "@/components/ui/field";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { ReviewRequest, RunStatus } from "@/lib/queries";

export type AnswerResult = ActionResult<{ runId: string; status: RunStatus }>;

/** Why someone who may answer cannot approve (separation of duties); shown beside the disabled Approve button. */
export const SELF_APPROVAL_EXPLANATION = "You submitted this brief, so someone else approves it. You can still send it back with guidance.";

export interface DecisionFormProps {
  runId: string;
  request: ReviewRequest;
  defaultGuidance: string;
  /** False when the person looking submitted the brief (and self-approval is off): guidance only. */
  canApprove: boolean;
  action: (previous: ActionState<{ runId: string; status: RunStatus }>, formData: FormData) => Promise<AnswerResult>;
  /** Called once per answer from the server, success or failure. */
  onResult: (result: AnswerResult) => void;
}

/** Approve the draft, or send it back with guidance. The decision is the signed-in person's. */
export function DecisionForm({ runId, request, defaultGuidance, canApprove, action, onResult }: DecisionFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  // Controlled, so guidance survives a refused answer or an ended session (React resets uncontrolled fields after an action).
  const [guidance, setGuidance] = useState("");
  const ids = { approveNote: useId(), guidance: useId(), guidanceHint: useId(), guidanceError: useId() };
  const reported = useRef<AnswerResult | null>(null);

  useEffect(() => {
    if (state && reported.current !== state) {
      reported.current = state;
      onResult(state);
    }
  }, [state, onResult]);

  const error = state && !state.ok ? state.error : null;
  const guidanceErrors = error ? (error.fieldErrors?.guidance ?? error.fieldErrors?.response) : undefined;
  const status = isPending
    ? "Sending your decision…"
    : state?.ok
      ? "Decision recorded. The run continues."
      : error?.code === "UNAUTHENTICATED"
        ? "" // SessionEnded below says it (as an alert)
        : error && !guidanceErrors
          ? error.message
          : "";

  return (
    <form action={formAction} className="space-y-5">
      <input type="hidden" name="runId" value={runId} />
      <input type="hidden" name="requestId" value={request.requestId} />

      {canApprove ? (
        <div className="flex flex-wrap items-center gap-3 rounded-md border border-emerald-200 bg-emerald-50/60 p-3">
          <Button type="submit" name="decision" value="approve" variant="primary" disabled={isPending}>
            <span aria-hidden="true">✓</span> Approve
          </Button>
          <p className="text-sm text-slate-700">Publishes draft {request.iteration} as it is.</p>
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-3 rounded-md border border-slate-200 bg-slate-50 p-3">
          <Button type="button" variant="secondary" disabled aria-describedby={ids.approveNote}>
            <span aria-hidden="true">✓</span> Approve
          </Button>
          <p id={ids.approveNote} className="min-w-0 flex-1 basis-60 text-sm text-slate-800">
            {SELF_APPROVAL_EXPLANATION}
          </p>
        </div>
      )}

      <div className="space-y-1.5">
        <Label htmlFor={ids.guidance}>Guidance for the writer</Label>
        <FieldHint id={ids.guidanceHint}>
          What should change in the next draft. Leave empty to use the default guidance: “{defaultGuidance}”
        </FieldHint>
        <textarea
          id={ids.guidance}
          name="guidance"
          rows={4}
          value={guidance}
          onChange={(event) => setGuidance(event.target.value)}
          aria-invalid={guidanceErrors ? true : undefined}
          aria-describedby={cn(ids.guidanceHint, guidanceErrors && ids.guidanceError)}
          className={cn(inputClasses, "resize-y")}
        />
        <FieldError id={ids.guidanceError} messages={guidanceErrors} />
        <Button type="submit" name="decision" value="revise" disabled={isPending}>
          <span aria-hidden="true">↺</span> Request revision
        </Button>
      </div>

      <SessionEnded code={error?.code} />
      <p role="status" aria-live="polite" className={cn("text-sm", error ? "font-medium text-rose-700" : "text-slate-700")}>
        {status}
      </p>
    </form>
  );
}
