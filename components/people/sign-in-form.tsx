"use client";

import { useActionState, useState } from "react";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import { AccountSubmit } from "./account-fields";
import { TextField } from "./text-field";

export interface SignInFormProps {
  action: (previous: ActionState<null>, formData: FormData) => Promise<ActionResult<null>>;
  /** Where to go after signing in (the action accepts local paths only). */
  returnTo: string;
}

/** Email and password. A failure says only that they do not match: it never tells which part was wrong. */
export function SignInForm({ action, returnTo }: SignInFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  // Controlled, so a refused attempt keeps what was typed (React resets uncontrolled fields after an action).
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const status = isPending ? "Signing in…" : state && !state.ok ? state.error.message : "";

  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="returnTo" value={returnTo} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={setEmail}
        required
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        required
      />
      <AccountSubmit label="Sign in" pendingLabel="Signing in…" isPending={isPending} status={status} state={state} />
    </form>
  );
}
