"use client";

import { useActionState, useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, FieldHint, inputClasses, Label } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { RunStatus } from "@/lib/queries";

type SubmitResult = ActionResult<{ runId: string; status: RunStatus }>;

export interface BriefFormProps {
  action: (previous: ActionState<{ runId: string; status: RunStatus }>, formData: FormData) => Promise<SubmitResult>;
  maxLength: number;
  submittedBy: string;
  onSubmittedByChange: (name: string) => void;
  onSubmitted: (runId: string) => void;
}

/** The new-brief form: validation beside the fields, a live status line, a character counter. */
export function BriefForm({ action, maxLength, submittedBy, onSubmittedByChange, onSubmitted }: BriefFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  // Controlled, so a refused submission keeps what was typed (React resets uncontrolled fields after an action).
  const [brief, setBrief] = useState("");
  const ids = { brief: useId(), hint: useId(), counter: useId(), error: useId(), name: useId(), nameError: useId() };
  const fieldErrors = state && !state.ok ? state.error.fieldErrors : undefined;
  const briefErrors = fieldErrors?.brief ?? (state && !state.ok && !fieldErrors ? [state.error.message] : undefined);
  const isTooLong = brief.length > maxLength;

  useEffect(() => {
    if (state?.ok) onSubmitted(state.data.runId);
  }, [state, onSubmitted]);

  const status = isPending ? "Submitting the brief…" : state?.ok ? "Brief submitted. Opening the run…" : state ? `Not submitted: ${state.error.message}` : "";

  return (
    <form action={formAction} className="space-y-6" noValidate>
      <div className="space-y-1.5">
        <Label htmlFor={ids.brief}>Brief</Label>
        <FieldHint id={ids.hint}>What is being released, for whom, and what readers should do next. Plain text; the writer turns it into release notes.</FieldHint>
        <textarea
          id={ids.brief}
          name="brief"
          rows={10}
          required
          value={brief}
          onChange={(event) => setBrief(event.target.value)}
          aria-invalid={briefErrors || isTooLong ? true : undefined}
          aria-describedby={cn(ids.hint, ids.counter, briefErrors && ids.error)}
          className={cn(inputClasses, "min-h-48 resize-y font-normal")}
          placeholder="Introduce the new grinder, mention the 40 grind settings, invite customers to pre-order."
        />
        <div className="flex flex-wrap items-start justify-between gap-2">
          <FieldError id={ids.error} messages={briefErrors} />
          <p id={ids.counter} className={cn("ml-auto text-sm tabular-nums", isTooLong ? "font-medium text-rose-700" : "text-slate-600")}>
            {brief.length.toLocaleString("en-US")} / {maxLength.toLocaleString("en-US")} characters
            {isTooLong ? ` — ${(brief.length - maxLength).toLocaleString("en-US")} over the limit` : ""}
          </p>
        </div>
      </div>

      <div className="max-w-sm space-y-1.5">
        <Label htmlFor={ids.name}>Submitted by</Label>
        <input
          id={ids.name}
          name="submittedBy"
          autoComplete="name"
          value={submittedBy}
          onChange={(event) => onSubmittedByChange(event.target.value)}
          aria-describedby={fieldErrors?.submittedBy ? ids.nameError : undefined}
          aria-invalid={fieldErrors?.submittedBy ? true : undefined}
          className={inputClasses}
        />
        <FieldHint>Optional. Remembered in this browser.</FieldHint>
        <FieldError id={ids.nameError} messages={fieldErrors?.submittedBy} />
      </div>

      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" variant="primary" disabled={isPending || isTooLong}>
          {isPending ? "Submitting…" : "Submit brief"}
        </Button>
        <p role="status" aria-live="polite" className={cn("text-sm", state && !state.ok ? "text-rose-700" : "text-slate-700")}>
          {status}
        </p>
      </div>
    </form>
  );
}
