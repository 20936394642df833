"use client";

import { useActionState, useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, FieldHint, inputClasses, Label } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { RunStatus } from "@/lib/queries";

type SubmitResult = ActionResult<{ runId: string; status: RunStatus }>;

export interface BriefFormProps {
  action: (previous: ActionState<{ runId: string; status: RunStatus }>, formData: FormData) => Promise<SubmitResult>;
  maxLength: number;
  onSubmitted: (runId: string) => void;
}

/** The new-brief form: validation beside the field, a live status line, a character counter. The brief is the signed-in person's. */
export function BriefForm({ action, maxLength, onSubmitted }: BriefFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  // Controlled, so a refused submission (or an ended session) keeps what was typed: React resets uncontrolled fields after an action.
  const [brief, setBrief] = useState("");
  const ids = { brief: useId(), hint: useId(), counter: useId(), error: useId() };
  const error = state && !state.ok ? state.error : null;
  const isSessionEnded = error?.code === "UNAUTHENTICATED";
  const briefErrors =
    error?.fieldErrors?.brief ?? (error && !error.fieldErrors && !isSessionEnded ? [error.message] : undefined);
  const isTooLong = brief.length > maxLength;

  useEffect(() => {
    if (state?.ok) onSubmitted(state.data.runId);
  }, [state, onSubmitted]);

  const status = isPending
    ? "Submitting the brief…"
    : state?.ok
      ? "Brief submitted. Opening the run…"
      : isSessionEnded
        ? "" // SessionEnded above says it (as an alert)
        : error
          ? `Not submitted: ${error.message}`
          : "";

  return (
    <form action={formAction} className="space-y-6" noValidate>
      <div className="space-y-1.5">
        <Label htmlFor={ids.brief}>Brief</Label>
        <FieldHint id={ids.hint}>
          What is being released, for whom, and what readers should do next. Plain text; the writer turns it into
          release notes.
        </FieldHint>
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
          <p
            id={ids.counter}
            className={cn("ml-auto text-sm tabular-nums", isTooLong ? "font-medium text-rose-700" : "text-slate-600")}
          >
            {brief.length.toLocaleString("en-US")} / {maxLength.toLocaleString("en-US")} characters
            {isTooLong ? ` — ${(brief.length - maxLength).toLocaleString("en-US")} over the limit` : ""}
          </p>
        </div>
      </div>

      <SessionEnded code={error?.code} />

      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" variant="primary" disabled={isPending || isTooLong}>
          {isPending ? "Submitting…" : "Submit brief"}
        </Button>
        <p role="status" aria-live="polite" className={cn("text-sm", error ? "text-rose-700" : "text-slate-700")}>
          {status}
        </p>
      </div>
    </form>
  );
}
