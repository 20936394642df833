"use client";

import { useActionState, useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, inputClasses, Label } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { CreatedInvitation, Role } from "@/lib/queries";
import { CopyField } from "./copy-field";
import { describeFailure, fieldErrorsOf, FormStatus, submitWithoutReset, useFocusFirstInvalid } from "./form-helpers";
import { TextField } from "./text-field";

export type InviteAction = (
  previous: ActionState<CreatedInvitation>,
  formData: FormData,
) => Promise<ActionResult<CreatedInvitation>>;

export interface InviteFormProps {
  action: InviteAction;
  /** The absolute start of every invitation link, e.g. `https://draftgate.example.com/invite/`. */
  inviteBaseUrl: string;
  /** Called after an invitation was created (to refresh the list of open invitations). */
  onInvited: () => void;
}

/** What each role may do, in one line each: each role can do everything the one before it can. */
export const ROLE_DESCRIPTIONS: ReadonlyArray<{ role: Role; description: string }> = [
  { role: "author", description: "submits briefs and follows their runs." },
  { role: "reviewer", description: "also approves drafts or sends them back with guidance." },
  { role: "admin", description: "also manages people and settings, branches and re-opens runs." },
];

/** Invite someone by email with a role; the one-time link is shown once, to copy and send. */
export function InviteForm({ action, inviteBaseUrl, onInvited }: InviteFormProps) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("reviewer");
  const [state, formAction, isPending] = useActionState(
    async (previous: ActionState<CreatedInvitation>, formData: FormData) => {
      const result = await action(previous, formData);
      if (result.ok) {
        setEmail("");
        onInvited();
      }
      return result;
    },
    null,
  );
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const ids = { role: useId(), roleHint: useId(), roleError: useId() };
  const roleErrors = fieldErrorsOf(state, "role");
  const created = state?.ok ? state.data : null;
  const status = isPending
    ? "Creating the invitation…"
    : created
      ? `Invitation for ${created.email} created. Copy the link below and send it to them.`
      : state && !state.ok
        ? `Not invited. ${describeFailure(state.error, ["email", "role"])}`
        : "";

  return (
    <div className="space-y-4">
      <form
        ref={formRef}
        action={formAction}
        onSubmit={submitWithoutReset(formAction)}
        className="space-y-4"
        noValidate
      >
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem]">
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="off"
            value={email}
            onChange={setEmail}
            errors={fieldErrorsOf(state, "email")}
            required
          />
          <div className="space-y-1.5">
            <Label htmlFor={ids.role}>Role</Label>
            <select
              id={ids.role}
              name="role"
              value={role}
              onChange={(event) => setRole(event.target.value as Role)}
              aria-invalid={roleErrors ? true : undefined}
              aria-describedby={cn(ids.roleHint, roleErrors && ids.roleError)}
              className={inputClasses}
            >
              {ROLE_DESCRIPTIONS.map((option) => (
                <option key={option.role} value={option.role}>
                  {option.role}
                </option>
              ))}
            </select>
            <FieldError id={ids.roleError} messages={roleErrors} />
          </div>
        </div>
        <ul id={ids.roleHint} className="space-y-0.5 text-sm text-slate-600">
          {ROLE_DESCRIPTIONS.map((option) => (
            <li key={option.role}>
              <span className="font-medium text-slate-800">{option.role[0]!.toUpperCase() + option.role.slice(1)}</span>{" "}
              {option.description}
            </li>
          ))}
        </ul>
        <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Button type="submit" variant="primary" disabled={isPending}>
            {isPending ? "Inviting…" : "Create invitation link"}
          </Button>
          <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
        </div>
      </form>

      {created ? (
        <Alert tone="success" title={`Invitation for ${created.email} (${created.role})`}>
          <div className="space-y-3">
            <p>
              Mail is not set up, so send this link to them yourself. It is shown only now, works once, and expires on{" "}
              <LocalTime iso={created.expiresAt} />.
            </p>
            <CopyField key={created.token} label="Invitation link" value={`${inviteBaseUrl}${created.token}`} />
          </div>
        </Alert>
      ) : null}
    </div>
  );
}
