"use client";

import { useActionState, useId, useRef, useState } from "react";
import { FormStatus, submitWithoutReset } from "@/components/people/form-helpers";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, inputClasses, Label } from "@/components/ui/field";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { Assignee, Reviewer } from "@/lib/queries";

export type AssignmentAction = (
  previous: ActionState<Assignee[]>,
  formData: FormData,
) => Promise<ActionResult<Assignee[]>>;

export interface AssigneesPanelProps {
  runId: string;
  assignees: Assignee[];
  /** Whom the run can be assigned to; undefined while loading (or for people who may not assign). */
  reviewers: Reviewer[] | undefined;
  viewerId: string | null;
  /** Reviewers and admins may assign and remove (RunPermissions.canAnswer). */
  canAssign: boolean;
  actions: { assign: AssignmentAction; unassign: AssignmentAction };
  /** Called after a change was saved (to refetch the run and the inbox). */
  onChanged: () => void;
}

/** Who is asked to review the run: the assignees (each removable), and "Assign a reviewer" from the active reviewers. */
export function AssigneesPanel({
  runId,
  assignees,
  reviewers,
  viewerId,
  canAssign,
  actions,
  onChanged,
}: AssigneesPanelProps) {
  const [choice, setChoice] = useState("");
  const selectRef = useRef<HTMLSelectElement>(null);
  // which of the two forms answered last: its outcome is the status line
  const [last, setLast] = useState<"assign" | "remove" | null>(null);
  const ids = { select: useId(), error: useId() };
  const [assignState, assignAction, isAssigning] = useActionState(
    async (previous: ActionState<Assignee[]>, formData: FormData) => {
      const result = await actions.assign(previous, formData);
      setLast("assign");
      if (result.ok) {
        setChoice("");
        onChanged();
      }
      return result;
    },
    null,
  );
  const [removeState, removeAction, isRemoving] = useActionState(
    async (previous: ActionState<Assignee[]>, formData: FormData) => {
      const result = await actions.unassign(previous, formData);
      setLast("remove");
      if (result.ok) {
        onChanged();
        // the button pressed is gone with its row: continue from the picker
        selectRef.current?.focus();
      }
      return result;
    },
    null,
  );

  const assigned = new Set(assignees.map((assignee) => assignee.userId));
  const candidates = (reviewers ?? []).filter((reviewer) => !assigned.has(reviewer.userId));
  const nameOf = (userId: string) =>
    userId === viewerId ? "you" : (assignees.find((assignee) => assignee.userId === userId)?.name ?? "them");
  const lastChange = last === "assign" ? assignState : last === "remove" ? removeState : null;
  const error = lastChange && !lastChange.ok ? lastChange.error : null;
  const status = isAssigning
    ? "Assigning…"
    : isRemoving
      ? "Removing…"
      : error && error.code !== "UNAUTHENTICATED"
        ? error.message
        : lastChange?.ok
          ? `Saved. ${lastChange.data.length === 0 ? "Nobody is assigned." : `Assigned: ${lastChange.data.map((assignee) => assignee.name).join(", ")}.`}`
          : "";

  return (
    <div className="space-y-4">
      {assignees.length === 0 ? (
        <p className="text-sm text-slate-700">Nobody is assigned: any reviewer can take it.</p>
      ) : (
        <ul aria-label="Assigned reviewers" className="space-y-1.5">
          {assignees.map((assignee) => (
            <li key={assignee.userId} className="flex flex-wrap items-center justify-between gap-2 text-sm">
              <span className="font-medium text-slate-900">
                {assignee.name}
                {assignee.userId === viewerId ? <span className="font-normal text-slate-600"> (you)</span> : null}
              </span>
              {canAssign ? (
                <form action={removeAction}>
                  <input type="hidden" name="runId" value={runId} />
                  <input type="hidden" name="userId" value={assignee.userId} />
                  <Button type="submit" variant="ghost" className="min-h-8 px-2 text-rose-800" disabled={isRemoving}>
                    Remove<span className="sr-only"> {nameOf(assignee.userId)} from this run’s reviewers</span>
                  </Button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canAssign ? (
        <form action={assignAction} onSubmit={submitWithoutReset(assignAction)} className="space-y-1.5" noValidate>
          <input type="hidden" name="runId" value={runId} />
          <Label htmlFor={ids.select}>Assign a reviewer</Label>
          <div className="flex flex-wrap gap-2">
            <select
              ref={selectRef}
              id={ids.select}
              name="userId"
              value={choice}
              onChange={(event) => setChoice(event.target.value)}
              aria-invalid={assignState && !assignState.ok && assignState.error.fieldErrors?.userId ? true : undefined}
              aria-describedby={
                assignState && !assignState.ok && assignState.error.fieldErrors?.userId ? ids.error : undefined
              }
              className={cn(inputClasses, "w-auto min-w-0 flex-1")}
              disabled={reviewers === undefined}
            >
              <option value="">
                {reviewers === undefined
                  ? "Loading reviewers…"
                  : candidates.length === 0
                    ? "Everyone is assigned"
                    : "Choose a reviewer"}
              </option>
              {candidates.map((reviewer) => (
                <option key={reviewer.userId} value={reviewer.userId}>
                  {reviewer.userId === viewerId ? `${reviewer.name} (you)` : reviewer.name}
                  {reviewer.role === "admin" ? " · admin" : ""}
                </option>
              ))}
            </select>
            <Button type="submit" disabled={isAssigning || choice === ""}>
              Assign
            </Button>
          </div>
          <FieldError
            id={ids.error}
            messages={assignState && !assignState.ok ? assignState.error.fieldErrors?.userId : undefined}
          />
        </form>
      ) : null}
      <SessionEnded code={error?.code} />
      <FormStatus message={status} isError={error !== null && !isAssigning && !isRemoving} />
    </div>
  );
}
