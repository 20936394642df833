"use client";

import { useActionState, useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { FieldError } from "@/components/ui/field";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import { AccountSubmit, NewPasswordField, PersonNameField } from "./account-fields";
import { describeFailure, fieldErrorsOf, submitWithoutReset, useFocusFirstInvalid } from "./form-helpers";
import { TextField } from "./text-field";

type SelfApproval = "allow" | "forbid";

export interface SetUpFormProps {
  action: (previous: ActionState<null>, formData: FormData) => Promise<ActionResult<null>>;
  minPasswordLength: number;
}

const SELF_APPROVAL_OPTIONS: ReadonlyArray<{ value: SelfApproval; label: string; description?: string }> = [
  {
    value: "forbid",
    label: "Someone other than the person who wrote the brief",
    description: "Recommended for teams.",
  },
  {
    value: "allow",
    label: "I work alone: let me approve drafts of my own briefs",
    description: "You can change this later in Settings.",
  },
];

/** First run: the first admin's account, and whether people may approve drafts of their own briefs. */
export function SetUpForm({ action, minPasswordLength }: SetUpFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [selfApproval, setSelfApproval] = useState<SelfApproval>("forbid");
  const ids = { selfApprovalError: useId(), option: useId() };
  const selfApprovalErrors = fieldErrorsOf(state, "allowSelfApproval");
  const status = isPending
    ? "Setting up Draftgate…"
    : state && !state.ok
      ? `Not set up yet. ${describeFailure(state.error, ["name", "email", "password", "allowSelfApproval"])}`
      : "";

  return (
    <form ref={formRef} action={formAction} onSubmit={submitWithoutReset(formAction)} className="space-y-5" noValidate>
      <PersonNameField value={name} onChange={setName} errors={fieldErrorsOf(state, "name")} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={setEmail}
        errors={fieldErrorsOf(state, "email")}
        required
      />
      <NewPasswordField
        value={password}
        onChange={setPassword}
        errors={fieldErrorsOf(state, "password")}
        minLength={minPasswordLength}
      />

      <fieldset className="space-y-2" aria-describedby={selfApprovalErrors ? ids.selfApprovalError : undefined}>
        <legend className="text-sm font-medium text-slate-900">Who approves drafts?</legend>
        {SELF_APPROVAL_OPTIONS.map((option) => {
          const id = `${ids.option}-${option.value}`;
          return (
            <div
              key={option.value}
              className={cn(
                "flex gap-3 rounded-md border p-3",
                selfApproval === option.value ? "border-emerald-600 bg-emerald-50/60" : "border-slate-300 bg-white",
              )}
            >
              <input
                id={id}
                type="radio"
                name="selfApproval"
                value={option.value}
                checked={selfApproval === option.value}
                onChange={() => setSelfApproval(option.value)}
                required
                aria-describedby={option.description ? `${id}-description` : undefined}
                className="mt-0.5 size-4 shrink-0 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
              />
              <div className="text-sm">
                <label htmlFor={id} className="font-medium text-slate-900">
                  {option.label}
                </label>
                {option.description ? (
                  <p id={`${id}-description`} className="text-slate-600">
                    {option.description}
                  </p>
                ) : null}
              </div>
            </div>
          );
        })}
        <FieldError id={ids.selfApprovalError} messages={selfApprovalErrors} />
      </fieldset>

      <AccountSubmit
        label="Create admin account"
        pendingLabel="Setting up…"
        isPending={isPending}
        status={status}
        state={state}
      />
    </form>
  );
}
