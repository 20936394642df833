"use client";

import { useActionState, useRef, useState } from "react";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import { AccountSubmit, NewPasswordField, PersonNameField } from "./account-fields";
import { describeFailure, fieldErrorsOf, useFocusFirstInvalid } from "./form-helpers";
import { TextField } from "./text-field";

export interface AcceptInvitationFormProps {
  action: (previous: ActionState<null>, formData: FormData) => Promise<ActionResult<null>>;
  /** The invitation link's token: it is the credential, sent back as a hidden field. */
  token: string;
  /** The invited address; shown read-only so password managers save the right username. */
  email: string;
  minPasswordLength: number;
}

/** The invited person picks their name and password; the account gets the invitation's email and role. */
export function AcceptInvitationForm({ action, token, email, minPasswordLength }: AcceptInvitationFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const status = isPending
    ? "Creating your account…"
    : state && !state.ok
      ? `Not created yet. ${describeFailure(state.error, ["name", "password"])}`
      : "";

  return (
    <form ref={formRef} action={formAction} className="space-y-5" noValidate>
      <input type="hidden" name="token" value={token} />
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={() => undefined}
        readOnly
        hint="From the invitation; you sign in with it."
      />
      <PersonNameField
        value={name}
        onChange={setName}
        errors={fieldErrorsOf(state, "name")}
        hint="Shown to your team beside what you submit and decide."
      />
      <NewPasswordField
        value={password}
        onChange={setPassword}
        errors={fieldErrorsOf(state, "password")}
        minLength={minPasswordLength}
      />
      <AccountSubmit
        label="Create my account"
        pendingLabel="Creating your account…"
        isPending={isPending}
        status={status}
        state={state}
      />
    </form>
  );
}
