"use client";

import { useActionState, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import { describeFailure, fieldErrorsOf, FormStatus, useFocusFirstInvalid } from "./form-helpers";
import { PasswordHint } from "./password-hint";
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
  const status = isPending ? "Creating your account…" : state && !state.ok ? `Not created yet. ${describeFailure(state.error, ["name", "password"])}` : "";

  return (
    <form ref={formRef} action={formAction} className="space-y-5" noValidate>
      <input type="hidden" name="token" value={token} />
      <TextField label="Email" type="email" autoComplete="username" value={email} onChange={() => undefined} readOnly hint="From the invitation; you sign in with it." />
      <TextField label="Your name" name="name" autoComplete="name" value={name} onChange={setName} errors={fieldErrorsOf(state, "name")} hint="Shown to your team beside what you submit and decide." required />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        hint={<PasswordHint minLength={minPasswordLength} />}
        errors={fieldErrorsOf(state, "password")}
        required
      />
      <div className="space-y-2">
        <Button type="submit" variant="primary" className="w-full" disabled={isPending}>
          {isPending ? "Creating your account…" : "Create my account"}
        </Button>
        <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
      </div>
    </form>
  );
}
