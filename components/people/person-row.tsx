"use client";

import { useActionState, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { inputClasses } from "@/components/ui/field";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { Person, Role } from "@/lib/queries";
import { FormStatus, submitWithoutReset } from "./form-helpers";

export type ManagePersonAction = (previous: ActionState<Person>, formData: FormData) => Promise<ActionResult<Person>>;

export interface PersonRowProps {
  person: Person;
  /** True for the signed-in admin's own row: they cannot deactivate themselves. */
  isSelf: boolean;
  roles: readonly Role[];
  action: ManagePersonAction;
  /** Called after a change was saved (to refresh the list). */
  onChanged: () => void;
}

const METHOD_LABELS: Record<Person["signInMethods"][number], string> = {
  password: "Password",
  oidc: "Company sign-in",
};

/** The label a cell carries on narrow screens, where the table's rows stack (the column headers are hidden there). */
function CellLabel({ children }: { children: string }) {
  return (
    <span aria-hidden="true" className="block text-xs font-medium text-slate-500 sm:hidden">
      {children}
    </span>
  );
}

/** One person: who they are, their role (changeable), how they sign in, and whether they are active. */
export function PersonRow({ person, isSelf, roles, action, onChanged }: PersonRowProps) {
  return (
    <tr className="align-top max-sm:block max-sm:space-y-3 max-sm:px-4 max-sm:py-4">
      <th scope="row" className="px-4 py-3 text-left font-normal max-sm:block max-sm:p-0 sm:min-w-52">
        <span
          className={cn(
            "flex flex-wrap items-center gap-2 font-medium",
            person.isActive ? "text-slate-900" : "text-slate-500",
          )}
        >
          {person.name}
          {isSelf ? <Badge tone="info">you</Badge> : null}
        </span>
        <span className="block text-slate-600 wrap-anywhere">{person.email}</span>
      </th>
      <td className="px-4 py-3 max-sm:block max-sm:p-0">
        <CellLabel>Role</CellLabel>
        <RoleForm person={person} roles={roles} action={action} onChanged={onChanged} />
      </td>
      <td className="px-4 py-3 text-slate-700 max-sm:block max-sm:p-0">
        <CellLabel>Signs in with</CellLabel>
        {person.signInMethods.length > 0 ? (
          person.signInMethods.map((method) => METHOD_LABELS[method]).join(", ")
        ) : (
          <span className="text-slate-600">Not yet</span>
        )}
      </td>
      <td className="px-4 py-3 max-sm:block max-sm:p-0">
        <CellLabel>Status</CellLabel>
        <ActivationForm person={person} isSelf={isSelf} action={action} onChanged={onChanged} />
      </td>
    </tr>
  );
}

function RoleForm({ person, roles, action, onChanged }: Omit<PersonRowProps, "isSelf">) {
  const [role, setRole] = useState<Role>(person.role);
  // When the saved role changes (this form, or another admin's change seen on refresh), the select follows it.
  const [savedRole, setSavedRole] = useState<Role>(person.role);
  if (person.role !== savedRole) {
    setSavedRole(person.role);
    setRole(person.role);
  }
  const [state, formAction, isPending] = useActionState(async (previous: ActionState<Person>, formData: FormData) => {
    const result = await action(previous, formData);
    if (result.ok) onChanged();
    return result;
  }, null);
  const status = isPending
    ? "Changing the role…"
    : state?.ok
      ? `Role changed to ${state.data.role}.`
      : state
        ? state.error.message
        : "";

  return (
    <form action={formAction} onSubmit={submitWithoutReset(formAction)} className="space-y-1.5">
      <input type="hidden" name="userId" value={person.userId} />
      <div className="flex flex-wrap items-center gap-2">
        <div className="w-32">
          <select
            name="role"
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
            aria-label={`Role of ${person.name}`}
            className={cn(inputClasses, "py-1.5")}
          >
            {roles.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" disabled={isPending}>
          Change role<span className="sr-only"> of {person.name}</span>
        </Button>
      </div>
      <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
      <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} className="max-w-xs" />
    </form>
  );
}

function ActivationForm({ person, isSelf, action, onChanged }: Omit<PersonRowProps, "roles">) {
  const [state, formAction, isPending] = useActionState(async (previous: ActionState<Person>, formData: FormData) => {
    const result = await action(previous, formData);
    if (result.ok) onChanged();
    return result;
  }, null);
  const status = isPending
    ? person.isActive
      ? "Deactivating…"
      : "Reactivating…"
    : state?.ok
      ? state.data.isActive
        ? `${state.data.name} can sign in again.`
        : `${state.data.name} is signed out; their API keys stopped working.`
      : state
        ? state.error.message
        : "";

  return (
    <form action={formAction} className="space-y-1.5">
      <input type="hidden" name="userId" value={person.userId} />
      <input type="hidden" name="active" value={person.isActive ? "false" : "true"} />
      <div className="flex flex-wrap items-center gap-2">
        {person.isActive ? <Badge tone="success">Active</Badge> : <Badge tone="muted">Deactivated</Badge>}
        {isSelf ? null : (
          <Button type="submit" disabled={isPending} className={person.isActive ? "text-rose-800" : undefined}>
            {person.isActive ? "Deactivate" : "Reactivate"}
            <span className="sr-only"> {person.name}</span>
          </Button>
        )}
      </div>
      <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
      <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} className="max-w-xs" />
    </form>
  );
}
