"use client";

import { useActionState, useId, useState } from "react";
import { describeFailure, fieldErrorsOf, FormStatus } from "@/components/people/form-helpers";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, FieldHint, inputClasses, Label } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { ReviewPolicy } from "@/lib/queries";

export type UpdateReviewPolicyAction = (previous: ActionState<ReviewPolicy>, formData: FormData) => Promise<ActionResult<ReviewPolicy>>;

/** The bounds the field offers; the server checks its own and says so beside the field. */
const REQUIRED_APPROVALS = { min: 1, max: 10 } as const;

export interface ReviewPolicySectionProps {
  policy: ReviewPolicy;
  /** Null for people who may not change it: they see it read-only. */
  action: UpdateReviewPolicyAction | null;
  onSaved: () => void;
}

/** How many approvals a draft needs before it is published: the current version, who set it and when; admins change it. */
export function ReviewPolicySection({ policy, action, onSaved }: ReviewPolicySectionProps) {
  return (
    <div className="space-y-4">
      <PolicyFacts policy={policy} />
      {action ? <ReviewPolicyForm policy={policy} action={action} onSaved={onSaved} /> : null}
    </div>
  );
}

function PolicyFacts({ policy }: { policy: ReviewPolicy }) {
  const needs = `${policy.requiredApprovals} ${policy.requiredApprovals === 1 ? "approval" : "approvals"}`;
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
      <dt className="font-medium text-slate-700">Each draft needs</dt>
      <dd className="text-slate-900" data-testid="policy-required">
        {needs} from different reviewers before it is published
      </dd>
      <dt className="font-medium text-slate-700">Version</dt>
      <dd className="text-slate-900" data-testid="policy-version">
        {policy.version === null ? (
          "Default (nobody has changed it yet)"
        ) : (
          <>
            v{policy.version}, changed by {policy.updatedBy ?? "an unnamed admin"}
            {policy.updatedAt ? (
              <>
                {" "}
                on <LocalTime iso={policy.updatedAt} />
              </>
            ) : null}
          </>
        )}
      </dd>
    </dl>
  );
}

function ReviewPolicyForm({ policy, action, onSaved }: { policy: ReviewPolicy; action: UpdateReviewPolicyAction; onSaved: () => void }) {
  // Text, so the field can be empty while someone edits it; the server parses it.
  const [value, setValue] = useState(String(policy.requiredApprovals));
  const [state, formAction, isPending] = useActionState(async (previous: ActionState<ReviewPolicy>, formData: FormData) => {
    const result = await action(previous, formData);
    if (result.ok) onSaved();
    return result;
  }, null);
  const id = useId();
  const errors = fieldErrorsOf(state, "requiredApprovals");
  const status = isPending
    ? "Saving…"
    : state?.ok
      ? `Saved as version ${state.data.version}: new runs need ${state.data.requiredApprovals} ${state.data.requiredApprovals === 1 ? "approval" : "approvals"}.`
      : state
        ? `Not saved. ${describeFailure(state.error, ["requiredApprovals"])}`
        : "";
  return (
    <form action={formAction} className="space-y-3 border-t border-slate-200 pt-4" noValidate>
      <div className="space-y-1.5">
        <Label htmlFor={id}>Required approvals</Label>
        <FieldHint id={`${id}-hint`}>
          From {REQUIRED_APPROVALS.min} to {REQUIRED_APPROVALS.max}. Saving makes a new version for runs submitted from now on; runs already started keep the policy they
          started with.
        </FieldHint>
        <input
          id={id}
          type="number"
          name="requiredApprovals"
          inputMode="numeric"
          min={REQUIRED_APPROVALS.min}
          max={REQUIRED_APPROVALS.max}
          step={1}
          required
          value={value}
          onChange={(event) => setValue(event.target.value)}
          aria-invalid={errors ? true : undefined}
          aria-describedby={cn(`${id}-hint`, errors && `${id}-error`)}
          className={cn(inputClasses, "max-w-32 tabular-nums")}
        />
        <FieldError id={`${id}-error`} messages={errors} />
      </div>
      <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Button type="submit" variant="primary" disabled={isPending}>
          {isPending ? "Saving…" : "Save policy"}
        </Button>
        <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
      </div>
    </form>
  );
}
