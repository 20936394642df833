"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import { FormStatus } from "./form-helpers";

export interface OidcSignInFormProps {
  action: (previous: ActionState<null>, formData: FormData) => Promise<ActionResult<null>>;
  /** The company sign-in's name, e.g. "Acme SSO": the button reads "Sign in with Acme SSO". */
  providerName: string;
  returnTo: string;
}

/** One button that sends the browser to the company's identity provider and back to `returnTo`. */
export function OidcSignInForm({ action, providerName, returnTo }: OidcSignInFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  const status = isPending ? `Opening ${providerName}…` : state && !state.ok ? state.error.message : "";
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="returnTo" value={returnTo} />
      <Button type="submit" variant="secondary" className="w-full" disabled={isPending}>
        Sign in with {providerName}
      </Button>
      <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
    </form>
  );
}
