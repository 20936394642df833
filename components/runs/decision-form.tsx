"use client";

import { useActionState, useEffect, useId, useRef } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, FieldHint, inputClasses, Label } from "@/components/ui/field";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { ReviewRequest, RunStatus } from "@/lib/queries";

export type AnswerResult = ActionResult<{ runId: string; status: RunStatus }>;

export interface DecisionFormProps {
  runId: string;
  request: ReviewRequest;
  defaultGuidance: string;
  reviewerName: string;
  onReviewerNameChange: (name: string) => void;
  action: (previous: ActionState<{ runId: string; status: RunStatus }>, formData: FormData) => Promise<AnswerResult>;
  /** Called once per answer from the server, success or failure. */
  onResult: (result: AnswerResult) => void;
}

/** Approve the draft, or send it back with guidance. */
export function DecisionForm({ runId, request, defaultGuidance, reviewerName, onReviewerNameChange, action, onResult }: DecisionFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  const ids = { name: useId(), guidance: useId(), guidanceHint: useId(), guidanceError: useId() };
  const reported = useRef<AnswerResult | null>(null);

  useEffect(() => {
    if (state && reported.current !== state) {
      reported.current = state;
      onResult(state);
    }
  }, [state, onResult]);

  const guidanceErrors = state && !state.ok ? state.error.fieldErrors?.guidance ?? state.error.fieldErrors?.response : undefined;
  const status = isPending ? "Sending your decision…" : state?.ok ? "Decision recorded. The run continues." : state && !guidanceErrors ? state.error.message : "";

  return (
    <form action={formAction} className="space-y-5">
      <input type="hidden" name="runId" value={runId} />
      <input type="hidden" name="requestId" value={request.requestId} />
      <div className="max-w-sm space-y-1.5">
        <Label htmlFor={ids.name}>Your name</Label>
        <input
          id={ids.name}
          name="respondedBy"
          autoComplete="name"
          value={reviewerName}
          onChange={(event) => onReviewerNameChange(event.target.value)}
          className={inputClasses}
        />
        <FieldHint>Recorded with your decision in the audit trail; remembered in this browser.</FieldHint>
      </div>

      <div className="flex flex-wrap items-center gap-3 rounded-md border border-emerald-200 bg-emerald-50/60 p-3">
        <Button type="submit" name="decision" value="approve" variant="primary" disabled={isPending}>
          <span aria-hidden="true">✓</span> Approve
        </Button>
        <p className="text-sm text-slate-700">Publishes draft {request.iteration} as it is.</p>
      </div>

      <div className="space-y-1.5">
        <Label htmlFor={ids.guidance}>Guidance for the writer</Label>
        <FieldHint id={ids.guidanceHint}>
          What should change in the next draft. Leave empty to use the default guidance: “{defaultGuidance}”
        </FieldHint>
        <textarea
          id={ids.guidance}
          name="guidance"
          rows={4}
          aria-invalid={guidanceErrors ? true : undefined}
          aria-describedby={cn(ids.guidanceHint, guidanceErrors && ids.guidanceError)}
          className={cn(inputClasses, "resize-y")}
        />
        <FieldError id={ids.guidanceError} messages={guidanceErrors} />
        <Button type="submit" name="decision" value="revise" disabled={isPending}>
          <span aria-hidden="true">↺</span> Request revision
        </Button>
      </div>

      <p role="status" aria-live="polite" className={cn("text-sm", state && !state.ok ? "font-medium text-rose-700" : "text-slate-700")}>
        {status}
      </p>
    </form>
  );
}
