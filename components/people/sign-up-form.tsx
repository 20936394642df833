"use client";

import { useActionState, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import { describeFailure, fieldErrorsOf, FormStatus, useFocusFirstInvalid } from "./form-helpers";
import { PasswordHint } from "./password-hint";
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
  const status = isPending ? "Creating your account…" : state && !state.ok ? `Not created yet. ${describeFailure(state.error, ["name", "email", "password"])}` : "";

  return (
    <form ref={formRef} action={formAction} className="space-y-5" noValidate>
      <TextField label="Your name" name="name" autoComplete="name" value={name} onChange={setName} errors={fieldErrorsOf(state, "name")} hint="Shown to your team beside what you submit." required />
      <TextField label="Email" name="email" type="email" autoComplete="username" value={email} onChange={setEmail} errors={fieldErrorsOf(state, "email")} required />
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
          {isPending ? "Creating your account…" : "Create account"}
        </Button>
        <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
      </div>
    </form>
  );
}
