import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions/types";
import { FormStatus } from "./form-helpers";
import { PasswordHint } from "./password-hint";
import { TextField } from "./text-field";

interface AccountFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** The field's messages from the server. */
  errors?: readonly string[];
}

/** "Your name" on the forms that create an account (first admin, sign-up, invitation): the name the team sees. */
export function PersonNameField({ hint, ...props }: AccountFieldProps & { hint?: ReactNode }) {
  return <TextField label="Your name" name="name" autoComplete="name" hint={hint} required {...props} />;
}

/** The new account's password, with the rules the server checks and a Show button. */
export function NewPasswordField({ minLength, ...props }: AccountFieldProps & { minLength: number }) {
  return (
    <TextField
      label="Password"
      name="password"
      type="password"
      autoComplete="new-password"
      hint={<PasswordHint minLength={minLength} />}
      required
      {...props}
    />
  );
}

/** The sign-in and account forms' full-width submit button, with the form's status line under it. */
export function AccountSubmit({
  label,
  pendingLabel,
  isPending,
  status,
  state,
}: {
  label: string;
  pendingLabel: string;
  isPending: boolean;
  status: string;
  state: ActionState<unknown>;
}) {
  return (
    <div className="space-y-2">
      <Button type="submit" variant="primary" className="w-full" disabled={isPending}>
        {isPending ? pendingLabel : label}
      </Button>
      <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
    </div>
  );
}
