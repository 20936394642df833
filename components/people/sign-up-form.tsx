"use client";

import { useActionState, useRef, useState } from "react";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import { AccountSubmit, NewPasswordField, PersonNameField } from "./account-fields";
import { describeFailure, fieldErrorsOf, useFocusFirstInvalid } from "./form-helpers";
import { TextField } from "./text-field";

export interface SignUpFormProps {
  action: (previous: ActionState<null>, formData: FormData) => Promise<ActionResult<null>>;
  minPasswordLength: number;
}

/** Open sign-up: a new author account (name, email, password). */
export function SignUpForm({ action, minPasswordLength }: SignUpFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const status = isPending
    ? "Creating your account…"
    : state && !state.ok
      ? `Not created yet. ${describeFailure(state.error, ["name", "email", "password"])}`
      : "";

  return (
    <form ref={formRef} action={formAction} className="space-y-5" noValidate>
      <PersonNameField
        value={name}
        onChange={setName}
        errors={fieldErrorsOf(state, "name")}
        hint="Shown to your team beside what you submit."
      />
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
      <AccountSubmit
        label="Create account"
        pendingLabel="Creating your account…"
        isPending={isPending}
        status={status}
        state={state}
      />
    </form>
  );
}
