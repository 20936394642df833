"use client";

import { useActionState, useId, useState } from "react";
import { FormStatus, submitWithoutReset } from "@/components/people/form-helpers";
import { Button } from "@/components/ui/button";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { WorkspaceSettings } from "@/lib/queries";

export type UpdateSettingsAction = (previous: ActionState<WorkspaceSettings>, formData: FormData) => Promise<ActionResult<WorkspaceSettings>>;

export interface WorkspaceSettingsFormProps {
  settings: WorkspaceSettings;
  action: UpdateSettingsAction;
  /** Called after the settings were saved. */
  onSaved: () => void;
}

const OPTIONS: ReadonlyArray<{ name: keyof WorkspaceSettings; label: string; description: string }> = [
  {
    name: "allowSelfApproval",
    label: "Allow people to approve drafts of briefs they submitted (for teams of one)",
    description: "Off: someone other than the person who submitted the brief must approve its drafts.",
  },
  {
    name: "allowSignUp",
    label: "Allow anyone who can reach this server to create an author account",
    description: "Off: people join only by invitation. Authors can submit briefs and follow their runs.",
  },
];

/** The admin's switches for the whole workspace, saved together. */
export function WorkspaceSettingsForm({ settings, action, onSaved }: WorkspaceSettingsFormProps) {
  const [values, setValues] = useState<WorkspaceSettings>(settings);
  const [state, formAction, isPending] = useActionState(async (previous: ActionState<WorkspaceSettings>, formData: FormData) => {
    const result = await action(previous, formData);
    if (result.ok) {
      setValues(result.data);
      onSaved();
    }
    return result;
  }, null);
  const idPrefix = useId();
  const status = isPending ? "Saving…" : state?.ok ? "Settings saved." : state ? `Not saved. ${state.error.message}` : "";

  return (
    <form action={formAction} onSubmit={submitWithoutReset(formAction)} className="space-y-4">
      <div className="space-y-3">
        {OPTIONS.map((option) => {
          const id = `${idPrefix}-${option.name}`;
          return (
            <div key={option.name} className="flex gap-3">
              <input
                id={id}
                type="checkbox"
                name={option.name}
                value="true"
                checked={values[option.name]}
                onChange={(event) => setValues((current) => ({ ...current, [option.name]: event.target.checked }))}
                aria-describedby={`${id}-description`}
                className="mt-0.5 size-4 shrink-0 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
              />
              <div className="text-sm">
                <label htmlFor={id} className="font-medium text-slate-900">
                  {option.label}
                </label>
                <p id={`${id}-description`} className="text-slate-600">
                  {option.description}
                </p>
              </div>
            </div>
          );
        })}
      </div>
      <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Button type="submit" variant="primary" disabled={isPending}>
          {isPending ? "Saving…" : "Save"}
        </Button>
        <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
      </div>
    </form>
  );
}
